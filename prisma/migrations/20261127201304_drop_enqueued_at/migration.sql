-- AlterTable
ALTER TABLE "webhook_events" DROP COLUMN "enqueued_at";
