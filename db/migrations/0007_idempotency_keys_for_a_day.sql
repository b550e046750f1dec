CREATE TABLE `idempotency_keys` (
	`day` integer NOT NULL,
	`sender_id` text NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`day`, `sender_id`, `key`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Keys are answered for a day from here on, from their log rows: the last two days' keys the indexer
-- had copied are pointed at those rows (the `at` index finds them); the rest it indexes as before.
INSERT OR IGNORE INTO `idempotency_keys` (`day`, `sender_id`, `key`, `created_at`, `seq`)
SELECT `at` / 86400000, `sender_id`, `idempotency_key`, `at`, `seq` FROM `decision_log`
WHERE `idempotency_key` IS NOT NULL
  AND `at` >= (SELECT (max(`at`) / 86400000 - 1) * 86400000 FROM `decision_log`)
  AND `seq` <= (SELECT coalesce(max(`seq`), 0) FROM `log_index` WHERE `name` = 'idempotency')
ORDER BY `seq`;
--> statement-breakpoint
DROP TABLE `idempotent_responses`;
