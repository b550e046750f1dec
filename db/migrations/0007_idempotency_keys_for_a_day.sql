PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_idempotent_responses` (
	`day` integer NOT NULL,
	`key` text NOT NULL,
	`sender_id` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`day`, `sender_id`, `key`)
);
--> statement-breakpoint
-- Keys are honoured for a day from here on: only the last two days' answers are kept.
INSERT INTO `__new_idempotent_responses`("day", "key", "sender_id", "request_hash", "response", "created_at") SELECT "created_at" / 86400000, "key", "sender_id", "request_hash", "response", "created_at" FROM `idempotent_responses`
WHERE "created_at" / 86400000 >= (SELECT max("created_at") / 86400000 - 1 FROM `idempotent_responses`);--> statement-breakpoint
DROP TABLE `idempotent_responses`;--> statement-breakpoint
ALTER TABLE `__new_idempotent_responses` RENAME TO `idempotent_responses`;--> statement-breakpoint
PRAGMA foreign_keys=ON;