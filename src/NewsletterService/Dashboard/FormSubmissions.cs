using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using NewsletterService.Infrastructure;

namespace NewsletterService.Dashboard;

/// <summary>
/// One submit, one action: a dashboard form rendered with <c>once</c> (<see cref="SubmissionIdTagHelper"/>) carries a
/// one-time submission id, kept with <see cref="IdempotencyStore"/> like the API's <c>Idempotency-Key</c> (scope
/// <c>form:&lt;page&gt;</c>). The first post with an id does the work; a double submit or a replayed form waits for it
/// and is sent to the same place with the same notice. Only an action that ended in a redirect is remembered: a form
/// shown again with its errors did nothing, so its id is given up, as after a failure.
/// </summary>
public sealed class FormSubmissions(IdempotencyStore store, ITempDataDictionaryFactory tempData, IUrlHelperFactory urls) : IAsyncPageFilter
{
    public const string Field = "submission";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        var form = HttpMethods.IsPost(request.Method) && request.HasFormContentType
            ? await request.ReadFormAsync(context.HttpContext.RequestAborted) : null;
        if (form is null || !form.TryGetValue(Field, out var ids))
        {
            await next();
            return;
        }
        if (ids.Count != 1 || IdempotencyStore.Invalid(ids[0]) is not null)
        {
            context.Result = new BadRequestResult();
            return;
        }
        var key = ids[0]!;
        var page = $"{context.ActionDescriptor.ViewEnginePath}:{context.HandlerMethod?.Name}";
        var scope = $"form:{page} {context.HttpContext.User.Identity?.Name}";
        var notices = tempData.GetTempData(context.HttpContext);
        var claim = await store.ClaimAsync(scope, key, await HashAsync(request, form), context.HttpContext.RequestAborted);
        if (claim.Kind != IdempotencyStore.ClaimKind.Claimed)
        {
            context.Result = Answer(claim, notices, request);
            return;
        }

        var executed = await next();
        var location = executed.Exception is null || executed.ExceptionHandled ? LocationOf(executed.Result, context) : null;
        if (location is null)
        {
            await store.ReleaseAsync(scope, key);
            return;
        }
        var kept = notices.Keys.Where(k => notices.Peek(k) is string).ToDictionary(k => k, k => (string)notices.Peek(k)!);
        await store.CompleteAsync(scope, key, StatusCodes.Status302Found, null, location, JsonSerializer.Serialize(kept));
    }

    /// <summary>The first submission's answer again: its redirect and notice (or why there is none yet).</summary>
    private static RedirectResult Answer(IdempotencyStore.Claim claim, ITempDataDictionary notices, HttpRequest request)
    {
        var first = claim.Record!;
        if (claim.Kind == IdempotencyStore.ClaimKind.Replay)
        {
            var kept = JsonSerializer.Deserialize<Dictionary<string, string>>(first.Body ?? "{}") ?? [];
            foreach (var (name, value) in kept) notices[name] = value;
            return new RedirectResult(first.Location!);
        }
        notices["Error"] = claim.Kind == IdempotencyStore.ClaimKind.Mismatch
            ? "This form had already been sent with other values: nothing more was done. Start again from this page to send it anew."
            : "This form is still being sent. Reload this page in a moment to see what it did.";
        return new RedirectResult(first.Location ?? (request.PathBase + request.Path).ToString());
    }

    private string? LocationOf(IActionResult? result, ActionContext context) => result switch
    {
        RedirectToPageResult r =>
            (r.UrlHelper ?? urls.GetUrlHelper(context)).Page(r.PageName, r.PageHandler, r.RouteValues, r.Protocol, r.Host, r.Fragment),
        RedirectResult r => r.Url,
        LocalRedirectResult r => r.Url,
        _ => null,
    };

    /// <summary>What the form asks for: its address, fields (the antiforgery token aside) and files.</summary>
    private static async Task<string> HashAsync(HttpRequest request, IFormCollection form)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder(request.Path + request.QueryString.Value + "\n");
        var fields = form.Where(f => f.Key is not (Field or "__RequestVerificationToken")).OrderBy(f => f.Key, StringComparer.Ordinal);
        foreach (var (name, values) in fields)
            text.Append(name).Append('=').AppendJoin('\u001f', values.Select(v => v ?? "")).Append('\n');
        hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
        foreach (var file in form.Files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{file.Name}:{file.FileName}:{file.Length}\n"));
            await using var content = file.OpenReadStream();
            hash.AppendData(await SHA256.HashDataAsync(content, request.HttpContext.RequestAborted));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
