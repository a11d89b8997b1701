-- AlterTable
ALTER TABLE "backfill_runs" ADD COLUMN     "bulk_added" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bulk_first" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "bulk_ignored" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bulk_left_out" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bulk_note" TEXT,
ADD COLUMN     "bulk_phase" TEXT;

-- CreateTable
CREATE TABLE "bulk_additions" (
    "run_id" BIGINT NOT NULL,
    "list_key" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "contact_key" TEXT NOT NULL,
    "on_list" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "bulk_additions_pkey" PRIMARY KEY ("run_id","list_key","email")
);

-- AddForeignKey
ALTER TABLE "bulk_additions" ADD CONSTRAINT "bulk_additions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "backfill_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
