using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.ClusterAssign.Migrations
{
    /// <inheritdoc />
    public partial class ReassignmentReRegister : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "re_register",
                table: "cluster_operations",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "re_register",
                table: "cluster_operations");
        }
    }
}
