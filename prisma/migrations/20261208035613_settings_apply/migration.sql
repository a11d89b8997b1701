-- AlterTable
ALTER TABLE "stores" ADD COLUMN     "lists_applied_fingerprint" TEXT;

-- CreateTable
CREATE TABLE "settings_applies" (
    "id" BIGSERIAL NOT NULL,
    "store_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "after_contact_id" BIGINT NOT NULL DEFAULT 0,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "last_error" TEXT,

    CONSTRAINT "settings_applies_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "settings_applies_store_id_id_idx" ON "settings_applies"("store_id", "id");
