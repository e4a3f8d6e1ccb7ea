using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.SmartAccountSync.Migrations
{
    /// <inheritdoc />
    public partial class LicenseLineContentHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "content_hash",
                table: "license_lines",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "content_hash",
                table: "license_lines");
        }
    }
}
