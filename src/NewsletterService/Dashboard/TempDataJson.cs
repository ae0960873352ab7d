using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace NewsletterService.Dashboard;

/// <summary>
/// What an action did, carried across its redirect (Post/Redirect/Get) to the page that shows it: the reload of that
/// page repeats nothing. TempData keeps strings, so a richer result travels as JSON.
/// </summary>
public static class TempDataJson
{
    public static void Put<T>(this ITempDataDictionary temp, string key, T value) => temp[key] = JsonSerializer.Serialize(value);

    public static T? Take<T>(this ITempDataDictionary temp, string key) where T : class =>
        temp[key] is string json ? JsonSerializer.Deserialize<T>(json) : null;
}
