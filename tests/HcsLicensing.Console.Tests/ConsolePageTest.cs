using System.Text.RegularExpressions;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;
using Microsoft.Playwright.NUnit;

namespace HcsLicensing.Console.Tests;

/// <summary>A browser page against the shared suite's console: sign in as an operator, screenshots under the test results.</summary>
public abstract class ConsolePageTest : PageTest
{
    protected HcsSuite Suite { get; private set; } = null!;

    protected SmartAccountInfo Account { get; private set; } = null!;

    protected Uri Console => Suite.AddressOf(SuiteService.Console);

    [SetUp]
    public async Task GetSuiteAsync()
    {
        (Suite, Account) = await ConsoleSuite.GetAsync();
        Page.SetDefaultTimeout(30_000);
    }

    /// <summary>A failed test leaves a picture of where it stopped, beside the others.</summary>
    [TearDown]
    public async Task ScreenshotOnFailureAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await ScreenshotAsync($"failed-{TestContext.CurrentContext.Test.MethodName}");
        }
    }

    /// <summary>
    /// Opens the console, which sends the browser to the issuer's login page (authorization code + PKCE); signs in there
    /// and lands back on <paramref name="path"/>, signed in.
    /// </summary>
    protected async Task SignInAsync(SuiteOperator who, string path = "")
    {
        await Page.GotoAsync(new Uri(Console, path).ToString());
        await Page.GetByLabel("User name").FillAsync(who.UserName);
        await Page.GetByLabel("Password").FillAsync(who.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByTestId("operator")).ToContainTextAsync(who.UserName);
    }

    /// <summary>
    /// Saves a screenshot under the test results and attaches it to the test: the whole page, or what a laptop screen
    /// shows of it (the README's pictures).
    /// </summary>
    protected async Task ScreenshotAsync(string name, bool wholePage = true)
    {
        var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{Regex.Replace(name, "[^A-Za-z0-9_-]", "-")}.png");
        await Page.ScreenshotAsync(new() { Path = file, FullPage = wholePage });
        TestContext.AddTestAttachment(file, name);
    }
}
