CREATE TABLE `accepted_requests` (
	`recipient_id` text NOT NULL,
	`sender_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`recipient_id`, `sender_id`)
);
--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`verified` integer DEFAULT false NOT NULL,
	`phone_verified` integer DEFAULT false NOT NULL,
	`protected` integer DEFAULT false NOT NULL,
	`suspended` integer DEFAULT false NOT NULL,
	`inbox` text DEFAULT 'following' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_requests` (
	`sender_id` text NOT NULL,
	`app_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `api_requests_sender_at` ON `api_requests` (`sender_id`,`at`);--> statement-breakpoint
CREATE INDEX `api_requests_app_at` ON `api_requests` (`app_id`,`at`);--> statement-breakpoint
CREATE TABLE `app_grants` (
	`account_id` text NOT NULL,
	`app_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `app_id`)
);
--> statement-breakpoint
CREATE TABLE `blocks` (
	`blocker_id` text NOT NULL,
	`blocked_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`blocker_id`, `blocked_id`)
);
--> statement-breakpoint
CREATE INDEX `blocks_blocked` ON `blocks` (`blocked_id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`creator_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cooldowns` (
	`sender_id` text PRIMARY KEY NOT NULL,
	`until` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `decision_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`sender_id` text NOT NULL,
	`recipient_ids` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`decision` text NOT NULL,
	`reason` text,
	`rule` text,
	`policy` text NOT NULL,
	`version` text NOT NULL,
	`arm` text,
	`text_fingerprint` text,
	`text_length` integer NOT NULL,
	`request` text NOT NULL,
	`facts` text NOT NULL,
	`send_id` text
);
--> statement-breakpoint
CREATE INDEX `decision_log_sender_at` ON `decision_log` (`sender_id`,`at`);--> statement-breakpoint
CREATE INDEX `decision_log_at` ON `decision_log` (`at`);--> statement-breakpoint
CREATE TABLE `follows` (
	`follower_id` text NOT NULL,
	`followee_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`follower_id`, `followee_id`)
);
--> statement-breakpoint
CREATE INDEX `follows_followee` ON `follows` (`followee_id`);--> statement-breakpoint
CREATE TABLE `idempotent_responses` (
	`key` text NOT NULL,
	`sender_id` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`sender_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `participants` (
	`conversation_id` text NOT NULL,
	`account_id` text NOT NULL,
	`joined_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `account_id`)
);
--> statement-breakpoint
CREATE TABLE `policy_versions` (
	`policy` text NOT NULL,
	`version` text NOT NULL,
	`document` text NOT NULL,
	`status` text NOT NULL,
	`author` text NOT NULL,
	`created_at` integer NOT NULL,
	`published_at` integer,
	PRIMARY KEY(`policy`, `version`)
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`reporter_id` text NOT NULL,
	`reported_id` text NOT NULL,
	`reported_at` integer NOT NULL,
	PRIMARY KEY(`reporter_id`, `reported_id`)
);
--> statement-breakpoint
CREATE TABLE `send_fingerprints` (
	`sender_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`target` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `send_fingerprints_lookup` ON `send_fingerprints` (`sender_id`,`fingerprint`,`at`);--> statement-breakpoint
CREATE TABLE `sends` (
	`id` text PRIMARY KEY NOT NULL,
	`sender_id` text NOT NULL,
	`recipient_id` text,
	`conversation_id` text,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`app_id` text,
	`outcome` text NOT NULL,
	`counted` integer DEFAULT false NOT NULL,
	`text_length` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sends_sender_at` ON `sends` (`sender_id`,`at`);--> statement-breakpoint
CREATE INDEX `sends_pair_at` ON `sends` (`sender_id`,`recipient_id`,`at`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_secret_hash_unique` ON `tokens` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `welcome_messages` (
	`account_id` text NOT NULL,
	`business_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `business_id`)
);
