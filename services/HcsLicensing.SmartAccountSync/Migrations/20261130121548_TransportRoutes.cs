using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.SmartAccountSync.Migrations
{
    /// <inheritdoc />
    public partial class TransportRoutes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "protected_proxy_password",
                table: "transport_settings",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "proxy_user",
                table: "transport_settings",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "smart_account_transport_settings",
                columns: table => new
                {
                    domain = table.Column<string>(type: "text", nullable: false),
                    mode = table.Column<string>(type: "text", nullable: false),
                    proxy_host = table.Column<string>(type: "text", nullable: true),
                    proxy_port = table.Column<int>(type: "integer", nullable: true),
                    proxy_user = table.Column<string>(type: "text", nullable: true),
                    protected_proxy_password = table.Column<string>(type: "text", nullable: true),
                    authentication_gateway = table.Column<string>(type: "text", nullable: false),
                    cssm_server = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_smart_account_transport_settings", x => x.domain);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "smart_account_transport_settings");

            migrationBuilder.DropColumn(
                name: "protected_proxy_password",
                table: "transport_settings");

            migrationBuilder.DropColumn(
                name: "proxy_user",
                table: "transport_settings");
        }
    }
}
