using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.JobTracker.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "jobs",
                columns: table => new
                {
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    current_state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    job_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    entity_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    entity_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    details_received = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    error_description = table.Column<string>(type: "text", nullable: true),
                    failed_step = table.Column<string>(type: "text", nullable: true),
                    recommended_action = table.Column<string>(type: "text", nullable: true),
                    is_restartable = table.Column<bool>(type: "boolean", nullable: false),
                    is_cancelable = table.Column<bool>(type: "boolean", nullable: false),
                    cancelable_reported = table.Column<bool>(type: "boolean", nullable: false),
                    cancel_requested = table.Column<bool>(type: "boolean", nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    initiated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    progress_info = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_jobs", x => x.correlation_id);
                });

            migrationBuilder.CreateTable(
                name: "scheduled_messages",
                columns: table => new
                {
                    token_id = table.Column<Guid>(type: "uuid", nullable: false),
                    due_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    destination = table.Column<string>(type: "text", nullable: false),
                    envelope = table.Column<string>(type: "text", nullable: false),
                    trace_parent = table.Column<string>(type: "text", nullable: true),
                    cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scheduled_messages", x => x.token_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_entity_initiated",
                table: "jobs",
                columns: new[] { "entity_name", "initiated_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_initiated",
                table: "jobs",
                columns: new[] { "initiated_at", "correlation_id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_jobs_status_initiated",
                table: "jobs",
                columns: new[] { "status", "initiated_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_messages_due",
                table: "scheduled_messages",
                column: "due_at",
                filter: "NOT cancelled");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "jobs");

            migrationBuilder.DropTable(
                name: "scheduled_messages");
        }
    }
}
