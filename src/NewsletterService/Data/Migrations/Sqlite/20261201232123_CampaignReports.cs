using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NewsletterService.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CampaignReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "TrackingOff",
                table: "Subscribers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "TrackClicks",
                table: "Campaigns",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "TrackOpens",
                table: "Campaigns",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "Activities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false),
                    SubscriberId = table.Column<long>(type: "INTEGER", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LinkId = table.Column<long>(type: "INTEGER", nullable: true),
                    Machine = table.Column<bool>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Activities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TrackedLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrackedLinks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_CampaignId_Kind_At",
                table: "Activities",
                columns: new[] { "CampaignId", "Kind", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_SubscriberId",
                table: "Activities",
                column: "SubscriberId");

            migrationBuilder.CreateIndex(
                name: "IX_TrackedLinks_CampaignId_Url",
                table: "TrackedLinks",
                columns: new[] { "CampaignId", "Url" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Activities");

            migrationBuilder.DropTable(
                name: "TrackedLinks");

            migrationBuilder.DropColumn(
                name: "TrackingOff",
                table: "Subscribers");

            migrationBuilder.DropColumn(
                name: "TrackClicks",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "TrackOpens",
                table: "Campaigns");
        }
    }
}
