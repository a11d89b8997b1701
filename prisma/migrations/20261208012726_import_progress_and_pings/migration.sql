-- AlterTable
ALTER TABLE "backfill_runs" ADD COLUMN     "total_items" INTEGER;

-- AlterTable
ALTER TABLE "stores" ADD COLUMN     "last_ping_at" TIMESTAMP(3);
