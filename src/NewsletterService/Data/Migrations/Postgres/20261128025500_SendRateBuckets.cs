using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsletterService.Data.Migrations.Postgres
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
                    Scope = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Slot = table.Column<long>(type: "bigint", nullable: false),
                    Permits = table.Column<int>(type: "integer", nullable: false)
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
