namespace NewsletterService.Rendering;

/// <summary>Turns a template in <c>templates/</c> and its model into HTML.</summary>
public interface IEmailRenderer
{
    Task<string> RenderAsync<TModel>(string template, TModel model, CancellationToken ct = default);
}
