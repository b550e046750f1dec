CREATE TABLE `policy_settings` (
	`policy` text PRIMARY KEY NOT NULL,
	`require_approval` integer DEFAULT false NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `policy_versions` ADD `approval_reason` text;