-- AlterTable
ALTER TABLE "admin_account" ADD COLUMN     "time_zone" TEXT;
