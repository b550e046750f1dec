ALTER TABLE `tokens` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `tokens` ADD `app_id` text;