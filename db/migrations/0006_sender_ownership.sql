CREATE TABLE `instances` (
	`id` text PRIMARY KEY NOT NULL,
	`peer_url` text NOT NULL,
	`secret` text NOT NULL,
	`seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shard_leases` (
	`shard` integer PRIMARY KEY NOT NULL,
	`owner` text,
	`epoch` integer DEFAULT 0 NOT NULL,
	`expires_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Every shard of senders, unowned (server/cluster/shards.ts: shardCount).
WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < 63) INSERT INTO `shard_leases` (`shard`) SELECT n FROM s;
