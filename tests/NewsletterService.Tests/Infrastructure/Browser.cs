using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace NewsletterService.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium driven through chromedriver (packages chromium and chromium-driver, installed by .ci/run),
/// with a fresh profile, pointed at a <see cref="NewsletterApp"/> on Kestrel. Screenshots go to
/// <c>TestResults/screenshots/</c> in the test output folder.
/// </summary>
public sealed class Browser : IDisposable
{
    public static readonly string ScreenshotFolder = System.IO.Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
    private readonly string _profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "newsletter-chromium",
        Guid.NewGuid().ToString("N"));
    private readonly Uri _base;

    public ChromeDriver Driver { get; }

    public Browser(NewsletterApp app)
    {
        _base = app.Address ?? throw new InvalidOperationException("Start the app with StartOnKestrelAsync for a browser.");
        Requires.Program("chromium", "apt-get install chromium chromium-driver");
        Requires.Program("chromedriver", "apt-get install chromium chromium-driver");
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1366,900",
            "--user-data-dir=" + _profile);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All); // the console, where Chromium reports what CSP refused
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().ImplicitWait = TimeSpan.Zero;
    }

    public void Go(string path) => Driver.Navigate().GoToUrl(new Uri(_base, path));

    public string Path => Driver.Url.StartsWith(_base.ToString(), StringComparison.Ordinal) ? new Uri(Driver.Url).PathAndQuery : Driver.Url;

    public IWebElement Find(string css) => Wait(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed))!;

    public string Text(string css) => Find(css).Text;

    public void Fill(string css, string value)
    {
        var input = Find(css);
        input.Clear();
        input.SendKeys(value);
    }

    /// <summary>Puts a long text into a field at once (SendKeys types it key by key).</summary>
    public void Paste(string css, string value) =>
        Driver.ExecuteScript("arguments[0].value = arguments[1];", Find(css), value);

    public void Click(string css) => Find(css).Click();

    /// <summary>Clicks a button or link that loads a new page, and waits until it has.</summary>
    public void Submit(string css)
    {
        var element = Find(css);
        element.Click();
        Wait(_ =>
        {
            try { return !element.Enabled && false; }
            catch (WebDriverException e) when (e is not WebDriverTimeoutException) { return true; } // stale: the old page is gone
        });
    }

    public void Login(string email = NewsletterApp.AdminEmail, string password = NewsletterApp.AdminPassword)
    {
        Fill("#Email", email);
        Fill("#Password", password);
        Submit("main button[type=submit]");
    }

    /// <summary>Waits until <paramref name="until"/> gives something other than null or false.</summary>
    public T Wait<T>(Func<IWebDriver, T> until, int seconds = 20)
    {
        try
        {
            var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(100) };
            return wait.Until(until);
        }
        catch (WebDriverTimeoutException e)
        {
            var shot = "failed-" + DateTime.UtcNow.ToString("HHmmssfff");
            Screenshot(shot);
            var page = Driver.FindElements(By.TagName("body")).FirstOrDefault()?.Text ?? "";
            throw new WebDriverTimeoutException(
                $"{e.Message} on {Path} (screenshot {shot}.png). The page says: {page[..Math.Min(page.Length, 1500)]}", e);
        }
    }

    public void WaitForText(string css, string text, int seconds = 20) =>
        Wait(d => d.FindElements(By.CssSelector(css)).Any(e => e.Text.Contains(text, StringComparison.Ordinal)), seconds);

    /// <summary>What the page wrote to the console since the last call (Chromium reports each thing the CSP refused there).</summary>
    public IReadOnlyList<string> ConsoleMessages() =>
        Driver.Manage().Logs.GetLog(LogType.Browser).Select(e => $"{e.Level}: {e.Message}").ToList();

    public void Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        Driver.GetScreenshot().SaveAsFile(System.IO.Path.Combine(ScreenshotFolder, name + ".png"));
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
