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
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`policy` text,
	`subject` text,
	`diff` text,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_policy_at` ON `audit_log` (`policy`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor_at` ON `audit_log` (`actor`,`at`);--> statement-breakpoint
CREATE TABLE `backtests` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`policy` text NOT NULL,
	`version` text NOT NULL,
	`options` text NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`report` text,
	`error` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer
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
	`experiment_id` text,
	`arm` text,
	`text_fingerprint` text,
	`fingerprints` text NOT NULL,
	`text_length` integer NOT NULL,
	`request` text NOT NULL,
	`facts` text NOT NULL,
	`send_id` text
);
--> statement-breakpoint
CREATE INDEX `decision_log_sender_at` ON `decision_log` (`sender_id`,`at`);--> statement-breakpoint
CREATE INDEX `decision_log_at` ON `decision_log` (`at`);--> statement-breakpoint
CREATE TABLE `decision_minutes` (
	`minute` integer NOT NULL,
	`version` text NOT NULL,
	`arm` text NOT NULL,
	`outcome` text NOT NULL,
	`reason` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`minute`, `version`, `arm`, `outcome`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `exemptions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`rule` text NOT NULL,
	`expires_at` integer NOT NULL,
	`reason` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `exemptions_account` ON `exemptions` (`account_id`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`policy` text NOT NULL,
	`salt` text NOT NULL,
	`status` text NOT NULL,
	`arms` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`stopped_at` integer
);
--> statement-breakpoint
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
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operators_username_unique` ON `operators` (`username`);--> statement-breakpoint
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
	`based_on` text,
	`tests` text DEFAULT '[]' NOT NULL,
	`approved_by` text,
	`approved_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer,
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
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`operator_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shadow_decisions` (
	`decision_id` text NOT NULL,
	`experiment_id` text NOT NULL,
	`arm` text NOT NULL,
	`version` text NOT NULL,
	`at` integer NOT NULL,
	`decision` text NOT NULL,
	`reason` text,
	`rule` text,
	`enforced_decision` text NOT NULL,
	`enforced_reason` text,
	PRIMARY KEY(`decision_id`, `arm`)
);
--> statement-breakpoint
CREATE INDEX `shadow_decisions_experiment_at` ON `shadow_decisions` (`experiment_id`,`at`);--> statement-breakpoint
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
