using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace HcsLicensing.SmartAccountSync.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "smart_accounts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    domain = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    account_type = table.Column<string>(type: "text", nullable: false),
                    client_id = table.Column<string>(type: "text", nullable: false),
                    protected_client_secret = table.Column<string>(type: "text", nullable: false),
                    configured_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_sync_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_sync_job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    satellite_virtual_accounts = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_smart_accounts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "transport_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    mode = table.Column<string>(type: "text", nullable: false),
                    proxy_host = table.Column<string>(type: "text", nullable: true),
                    proxy_port = table.Column<int>(type: "integer", nullable: true),
                    authentication_gateway = table.Column<string>(type: "text", nullable: false),
                    cssm_server = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transport_settings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "registration_tokens",
                columns: table => new
                {
                    token = table.Column<string>(type: "text", nullable: false),
                    smart_account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    virtual_account_name = table.Column<string>(type: "text", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    obtained_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registration_tokens", x => x.token);
                    table.ForeignKey(
                        name: "FK_registration_tokens_smart_accounts_smart_account_id",
                        column: x => x.smart_account_id,
                        principalTable: "smart_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_runs",
                columns: table => new
                {
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    smart_account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    virtual_accounts = table.Column<int>(type: "integer", nullable: false),
                    added = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    removed = table.Column<int>(type: "integer", nullable: false),
                    skipped_satellite = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_runs", x => x.job_id);
                    table.ForeignKey(
                        name: "FK_sync_runs_smart_accounts_smart_account_id",
                        column: x => x.smart_account_id,
                        principalTable: "smart_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "virtual_accounts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    smart_account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    is_default = table.Column<bool>(type: "boolean", nullable: false),
                    commerce_access_level = table.Column<string>(type: "text", nullable: false),
                    first_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    removed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_virtual_accounts", x => x.id);
                    table.ForeignKey(
                        name: "FK_virtual_accounts_smart_accounts_smart_account_id",
                        column: x => x.smart_account_id,
                        principalTable: "smart_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registration_tokens_smart_account_id_virtual_account_name_e~",
                table: "registration_tokens",
                columns: new[] { "smart_account_id", "virtual_account_name", "expires_at" });

            migrationBuilder.CreateIndex(
                name: "IX_smart_accounts_domain",
                table: "smart_accounts",
                column: "domain",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sync_runs_account_started",
                table: "sync_runs",
                columns: new[] { "smart_account_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ux_sync_runs_one_running",
                table: "sync_runs",
                column: "smart_account_id",
                unique: true,
                filter: "status = 'Running'");

            migrationBuilder.CreateIndex(
                name: "IX_virtual_accounts_smart_account_id_name",
                table: "virtual_accounts",
                columns: new[] { "smart_account_id", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "registration_tokens");

            migrationBuilder.DropTable(
                name: "sync_runs");

            migrationBuilder.DropTable(
                name: "transport_settings");

            migrationBuilder.DropTable(
                name: "virtual_accounts");

            migrationBuilder.DropTable(
                name: "smart_accounts");
        }
    }
}
