CREATE TABLE `conversation_pairs` (
	`bucket` integer NOT NULL,
	`sender_id` text NOT NULL,
	`recipient_id` text NOT NULL,
	`last_sent_at` integer,
	`last_sent_seq` integer,
	`added` integer NOT NULL,
	`reset` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`bucket`, `sender_id`, `recipient_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `counter_resets` (
	`seq` integer PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `decision_log_accounts` (
	`bucket` integer NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL,
	`seq` integer NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`bucket`, `account_id`, `at`, `seq`, `role`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `log_index` (
	`name` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_decision_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`at` integer NOT NULL,
	`sender_id` text NOT NULL,
	`recipient_ids` text NOT NULL,
	`kind` text NOT NULL,
	`channel` text NOT NULL,
	`app_id` text,
	`conversation_id` text,
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
	`send_id` text,
	`counted` integer DEFAULT false NOT NULL,
	`api_request` integer DEFAULT false NOT NULL,
	`cooldown_until` integer,
	`fingerprint_target` text,
	`idempotency_key` text,
	`request_hash` text,
	`response` text,
	`shadows` text
);
--> statement-breakpoint
-- The log keeps what each decision left behind, read until now from sends, api_requests and cooldowns.
INSERT INTO `__new_decision_log`("seq", "id", "at", "sender_id", "recipient_ids", "kind", "channel", "app_id", "conversation_id", "decision", "reason", "rule", "policy", "version", "experiment_id", "arm", "text_fingerprint", "fingerprints", "text_length", "request", "facts", "send_id", "counted", "api_request", "cooldown_until", "fingerprint_target")
SELECT d.rowid, d.id, d.at, d.sender_id, d.recipient_ids, d.kind, d.channel, json_extract(d.request, '$.appId'),
  CASE WHEN s.id IS NOT NULL THEN s.conversation_id WHEN d.kind = 'group_invite' AND d.decision IN ('allow', 'request') THEN json_extract(d.request, '$.conversationId') END,
  d.decision, d.reason, d.rule, d.policy, d.version, d.experiment_id, d.arm, d.text_fingerprint, d.fingerprints, d.text_length, d.request, d.facts, d.send_id,
  coalesce(s.counted, 0),
  d.channel = 'api' AND d.kind IN ('direct', 'group_create', 'group_message') AND NOT (d.decision = 'limit' AND d.reason = 'api_rate_limit'),
  NULL,
  CASE WHEN s.id IS NOT NULL AND d.fingerprints <> '[]' THEN (CASE WHEN d.kind = 'direct' THEN json_extract(d.recipient_ids, '$[0]') ELSE 'conversation:' || s.conversation_id END) END
FROM `decision_log` d LEFT JOIN `sends` s ON s.id = d.send_id;--> statement-breakpoint
UPDATE `__new_decision_log` SET `cooldown_until` = (SELECT c.until FROM `cooldowns` c WHERE c.sender_id = `__new_decision_log`.sender_id)
WHERE `seq` IN (SELECT max(`seq`) FROM `__new_decision_log` WHERE `sender_id` IN (SELECT `sender_id` FROM `cooldowns`) GROUP BY `sender_id`);--> statement-breakpoint
INSERT INTO `conversation_pairs` SELECT 0, s.sender_id, s.recipient_id, max(s.at), max(d.rowid),
  (SELECT count(*) FROM `sends` x WHERE x.sender_id = s.sender_id AND x.recipient_id = s.recipient_id
    AND x.at > coalesce((SELECT max(y.at) FROM `sends` y WHERE y.sender_id = s.recipient_id AND y.recipient_id = s.sender_id), -1)),
  1
FROM `sends` s JOIN `decision_log` d ON d.send_id = s.id WHERE s.kind = 'direct' GROUP BY s.sender_id, s.recipient_id;--> statement-breakpoint
DROP TABLE `decision_log`;--> statement-breakpoint
DROP TABLE `api_requests`;--> statement-breakpoint
DROP TABLE `cooldowns`;--> statement-breakpoint
DROP TABLE `send_fingerprints`;--> statement-breakpoint
DROP TABLE `sends`;--> statement-breakpoint
ALTER TABLE `__new_decision_log` RENAME TO `decision_log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `decision_log_id` ON `decision_log` (`id`);--> statement-breakpoint
CREATE INDEX `decision_log_at` ON `decision_log` (`at`);--> statement-breakpoint
ALTER TABLE `reports` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A report is placed after every decision logged in its millisecond or before it, as times compared until now.
UPDATE `reports` SET `seq` = (SELECT coalesce(max(`seq`), 0) FROM `decision_log` WHERE `at` <= `reports`.`reported_at`);--> statement-breakpoint
-- What the old tables held is built already: only the index by account starts from the beginning.
INSERT INTO `log_index` (`name`, `seq`, `updated_at`) SELECT n.name, CASE WHEN n.name = 'accounts' THEN 0 ELSE coalesce((SELECT max(`seq`) FROM `decision_log`), 0) END, 0
FROM (SELECT 'accounts' AS name UNION ALL SELECT 'pairs' UNION ALL SELECT 'groups' UNION ALL SELECT 'minutes' UNION ALL SELECT 'shadows' UNION ALL SELECT 'idempotency') n;