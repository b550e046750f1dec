DROP INDEX `blocks_blocked`;--> statement-breakpoint
DROP INDEX `follows_followee`;