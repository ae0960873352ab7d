using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>What an editor does through the admin API, written as the steps of a story.</summary>
public static class Api
{
    public static async Task<JsonNode> ImportArticleAsync(this HttpClient admin, string text)
    {
        var response = await admin.PostAsync("/api/articles/import", new StringContent(text, Encoding.UTF8, "text/plain"));
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<JsonNode> ImportSubscribersAsync(this HttpClient admin, string csv)
    {
        var response = await admin.PostAsync("/api/subscribers/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        return await response.ReadJsonAsync(HttpStatusCode.OK);
    }

    public static async Task<long> StartCampaignAsync(this HttpClient admin, long articleId, DateTimeOffset? sendAt = null)
    {
        var response = await admin.PostAsJsonAsync("/api/campaigns", new { articleId, sendAt });
        return (await response.ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    public static async Task<JsonNode> GetCampaignAsync(this HttpClient admin, long id) =>
        await (await admin.GetAsync($"/api/campaigns/{id}")).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>Polls the campaign until its status is one of <paramref name="statuses"/> (default: a final one).</summary>
    public static async Task<JsonNode> WaitForCampaignAsync(this HttpClient admin, long id, TimeSpan? timeout = null,
        params string[] statuses)
    {
        if (statuses.Length == 0) statuses = ["sent", "failed", "cancelled"];
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var campaign = await admin.GetCampaignAsync(id);
            if (statuses.Contains(campaign["status"]!.GetValue<string>())) return campaign;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"Campaign {id} did not reach {string.Join("/", statuses)}: {campaign.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts an RFC 9457 problem response with the given status that names <paramref name="field"/>.</summary>
    public static async Task<JsonNode> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (field is not null) Assert.True(problem["errors"]?[field] is not null,
            $"The problem does not name '{field}': {problem.ToJsonString()}");
        return problem;
    }

    public static string Csv(int count, string prefix = "reader", string domain = "example.test") =>
        "email,name\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"{prefix}{i}@{domain},Reader {i}\n"));

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
