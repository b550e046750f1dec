ALTER TABLE `tokens` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `tokens` ADD `app_id` text;--> statement-breakpoint
CREATE INDEX `participants_account` ON `participants` (`account_id`);--> statement-breakpoint
CREATE INDEX `sends_recipient_at` ON `sends` (`recipient_id`,`at`) WHERE recipient_id is not null;--> statement-breakpoint
CREATE INDEX `sends_group_at` ON `sends` (`conversation_id`,`at`) WHERE recipient_id is null;