-- CreateTable
CREATE TABLE "owner_sessions" (
    "id_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "owner_sessions_pkey" PRIMARY KEY ("id_hash")
);

-- CreateTable
CREATE TABLE "owner_setup_codes" (
    "holder" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "owner_setup_codes_pkey" PRIMARY KEY ("holder")
);

-- CreateIndex
CREATE INDEX "owner_sessions_last_seen_at_idx" ON "owner_sessions"("last_seen_at");
