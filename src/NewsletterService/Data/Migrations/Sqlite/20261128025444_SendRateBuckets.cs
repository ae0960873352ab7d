using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsletterService.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SendRateBuckets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SendRateBuckets",
                columns: table => new
                {
                    Scope = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Slot = table.Column<long>(type: "INTEGER", nullable: false),
                    Permits = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SendRateBuckets", x => new { x.Scope, x.Slot });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SendRateBuckets");
        }
    }
}
