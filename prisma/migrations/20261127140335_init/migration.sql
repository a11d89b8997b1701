-- CreateEnum
CREATE TYPE "zoho_connection_state" AS ENUM ('connected', 'needs_reconnect', 'disconnected');

-- CreateEnum
CREATE TYPE "event_status" AS ENUM ('received', 'queued', 'synced', 'coalesced', 'skipped', 'waiting', 'failed');

-- CreateTable
CREATE TABLE "stores" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "webhook_secret_enc" TEXT,
    "webhook_secret_set_at" TIMESTAMP(3),
    "settings" JSONB NOT NULL DEFAULT '{}',
    "rest_credentials_enc" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "stores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "zoho_connection" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "data_centre" TEXT NOT NULL,
    "accounts_server" TEXT NOT NULL,
    "campaigns_url" TEXT NOT NULL,
    "refresh_token_enc" TEXT NOT NULL,
    "access_token_enc" TEXT,
    "access_token_expires_at" TIMESTAMP(3),
    "scope" TEXT,
    "state" "zoho_connection_state" NOT NULL DEFAULT 'connected',
    "state_reason" TEXT,
    "refresh_blocked_until" TIMESTAMP(3),
    "origin" TEXT NOT NULL,
    "connected_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "zoho_connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_events" (
    "id" BIGSERIAL NOT NULL,
    "store_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "resource_id" TEXT,
    "contact_key" TEXT,
    "webhook_id" TEXT,
    "delivery_id" TEXT,
    "body_sha256" TEXT NOT NULL,
    "body" BYTEA NOT NULL,
    "headers" JSONB NOT NULL,
    "modified_at" TIMESTAMP(3),
    "status" "event_status" NOT NULL DEFAULT 'received',
    "status_reason" TEXT,
    "redeliveries" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_redelivery_at" TIMESTAMP(3),
    "enqueued_at" TIMESTAMP(3),
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rejected_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "store_id" TEXT,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "http_status" INTEGER NOT NULL,
    "topic" TEXT,
    "webhook_id" TEXT,
    "delivery_id" TEXT,
    "content_type" TEXT,
    "body_size" INTEGER NOT NULL,
    "body_sha256" TEXT,
    "body" BYTEA,
    "remote_address" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rejected_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" BIGSERIAL NOT NULL,
    "store_id" TEXT NOT NULL,
    "customer_key" TEXT NOT NULL,
    "customer_id" INTEGER,
    "email" TEXT NOT NULL,
    "role" TEXT,
    "snapshot" JSONB NOT NULL DEFAULT '{}',
    "snapshot_modified_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),
    "synced_email" TEXT,
    "synced_lists" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "synced_fields_hash" TEXT,
    "zoho_unsubscribed_lists" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "last_synced_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" BIGSERIAL NOT NULL,
    "store_id" TEXT NOT NULL,
    "subscription_id" INTEGER NOT NULL,
    "customer_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "snapshot_modified_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_attempts" (
    "id" BIGSERIAL NOT NULL,
    "store_id" TEXT NOT NULL,
    "event_id" BIGINT,
    "contact_id" BIGINT,
    "email" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "list_key" TEXT NOT NULL,
    "contact_info" JSONB NOT NULL,
    "attempt" INTEGER NOT NULL,
    "http_status" INTEGER,
    "zoho_code" TEXT,
    "zoho_message" TEXT,
    "outcome" TEXT NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "admin_account" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "admin_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backfill_runs" (
    "id" BIGSERIAL NOT NULL,
    "store_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "pages_done" INTEGER NOT NULL DEFAULT 0,
    "total_pages" INTEGER,
    "items_queued" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "last_error" TEXT,

    CONSTRAINT "backfill_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_checks" (
    "id" BIGSERIAL NOT NULL,
    "store_id" TEXT NOT NULL,
    "checked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "webhooks" JSONB NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "webhook_checks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_events_status_received_at_idx" ON "webhook_events"("status", "received_at");

-- CreateIndex
CREATE INDEX "webhook_events_store_id_resource_resource_id_idx" ON "webhook_events"("store_id", "resource", "resource_id");

-- CreateIndex
CREATE INDEX "webhook_events_store_id_contact_key_status_idx" ON "webhook_events"("store_id", "contact_key", "status");

-- CreateIndex
CREATE INDEX "webhook_events_received_at_idx" ON "webhook_events"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_store_id_topic_body_sha256_key" ON "webhook_events"("store_id", "topic", "body_sha256");

-- CreateIndex
CREATE INDEX "rejected_deliveries_store_id_received_at_idx" ON "rejected_deliveries"("store_id", "received_at");

-- CreateIndex
CREATE INDEX "rejected_deliveries_received_at_idx" ON "rejected_deliveries"("received_at");

-- CreateIndex
CREATE INDEX "contacts_email_idx" ON "contacts"("email");

-- CreateIndex
CREATE INDEX "contacts_synced_email_idx" ON "contacts"("synced_email");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_store_id_customer_key_key" ON "contacts"("store_id", "customer_key");

-- CreateIndex
CREATE INDEX "subscriptions_store_id_customer_key_idx" ON "subscriptions"("store_id", "customer_key");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_store_id_subscription_id_key" ON "subscriptions"("store_id", "subscription_id");

-- CreateIndex
CREATE INDEX "sync_attempts_created_at_idx" ON "sync_attempts"("created_at");

-- CreateIndex
CREATE INDEX "sync_attempts_event_id_idx" ON "sync_attempts"("event_id");

-- CreateIndex
CREATE INDEX "sync_attempts_contact_id_idx" ON "sync_attempts"("contact_id");

-- CreateIndex
CREATE INDEX "sync_attempts_email_idx" ON "sync_attempts"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "backfill_runs_store_id_kind_status_idx" ON "backfill_runs"("store_id", "kind", "status");

-- CreateIndex
CREATE INDEX "webhook_checks_store_id_checked_at_idx" ON "webhook_checks"("store_id", "checked_at");

-- AddForeignKey
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_store_id_fkey" FOREIGN KEY ("store_id") REFERENCES "stores"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_attempts" ADD CONSTRAINT "sync_attempts_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "webhook_events"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_attempts" ADD CONSTRAINT "sync_attempts_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
