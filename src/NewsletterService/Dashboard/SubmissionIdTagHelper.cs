using System.Security.Cryptography;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace NewsletterService.Dashboard;

/// <summary>
/// <c>&lt;form method="post" once&gt;</c>: the form gets a hidden one-time submission id, new each time it is rendered,
/// which <see cref="FormSubmissions"/> holds to one action however often the form is sent.
/// </summary>
[HtmlTargetElement("form", Attributes = "once")]
public sealed class SubmissionIdTagHelper : TagHelper
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.Attributes.RemoveAll("once");
        output.Attributes.SetAttribute("data-once", "");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        output.PostContent.AppendHtml($"<input type=\"hidden\" name=\"{FormSubmissions.Field}\" value=\"{id}\">");
    }
}
