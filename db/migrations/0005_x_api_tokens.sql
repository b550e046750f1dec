ALTER TABLE `tokens` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `tokens` ADD `app_id` text;--> statement-breakpoint
CREATE TABLE `decision_log_groups` (
	`bucket` integer NOT NULL,
	`conversation_id` text NOT NULL,
	`at` integer NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`bucket`, `conversation_id`, `at`, `seq`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Built from the beginning of the log; until it catches up, pruning keeps every row it has not read.
INSERT OR IGNORE INTO `log_index` (`name`, `seq`, `updated_at`) VALUES ('group_messages', 0, 0);
