-- CreateTable
CREATE TABLE "list_size_samples" (
    "list_key" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "list_name" TEXT NOT NULL,
    "contacts" INTEGER NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "list_size_samples_pkey" PRIMARY KEY ("list_key","day")
);

-- CreateIndex
CREATE INDEX "list_size_samples_day_idx" ON "list_size_samples"("day");
