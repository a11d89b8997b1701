-- CreateTable
CREATE TABLE "alert_incidents" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "opened_at" TIMESTAMP(3) NOT NULL,
    "last_notified_at" TIMESTAMP(3) NOT NULL,
    "resolved_at" TIMESTAMP(3),
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "alert_incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_messages" (
    "id" BIGSERIAL NOT NULL,
    "incident_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "next_try_at" TIMESTAMP(3) NOT NULL,
    "tries" INTEGER NOT NULL DEFAULT 0,
    "delivered_to" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "last_error" TEXT,
    "done_at" TIMESTAMP(3),

    CONSTRAINT "alert_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "smtp_url_enc" TEXT,
    "email_from" TEXT,
    "email_to" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "webhook_url_enc" TEXT,
    "webhook_secret_enc" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_settings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_incidents_resolved_at_opened_at_idx" ON "alert_incidents"("resolved_at", "opened_at");

-- CreateIndex
CREATE INDEX "alert_messages_done_at_next_try_at_idx" ON "alert_messages"("done_at", "next_try_at");

-- CreateIndex
CREATE INDEX "alert_messages_incident_id_idx" ON "alert_messages"("incident_id");

-- AddForeignKey
ALTER TABLE "alert_messages" ADD CONSTRAINT "alert_messages_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "alert_incidents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- At most one open incident per kind and subject, however many workers evaluate at once.
CREATE UNIQUE INDEX "alert_incidents_open_key" ON "alert_incidents"("kind", "subject") WHERE "resolved_at" IS NULL;
