using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>The operator signs in at the suite's issuer and the console shows who they are and what they may do.</summary>
public sealed class SignInTests : ConsolePageTest
{
    [Test]
    public async Task An_operator_signs_in_at_the_issuer_and_sees_their_name_permissions_and_the_navigation()
    {
        await Page.GotoAsync(Console.ToString());
        var issuerLogin = Page.Url;

        await SignInAsync(SuiteConsole.Operator);

        Assert.That(issuerLogin, Does.StartWith(Suite.AddressOf(SuiteService.Identity).ToString()).And.Contain("/account/login"), "an anonymous visit goes to the issuer's login page");
        var operatorBox = Page.GetByTestId("operator");
        foreach (var permission in HcsPermissions.All)
        {
            await Expect(operatorBox).ToContainTextAsync(permission);
        }

        var navigation = Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        foreach (var page in new[] { "Clusters", "Jobs", "Smart accounts", "Virtual accounts", "License usage", "License findings" })
        {
            await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = page })).ToBeVisibleAsync();
        }

        await ScreenshotAsync("signed-in");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Signed out" })).ToBeVisibleAsync();
        Assert.That(await Page.GetByTestId("operator").CountAsync(), Is.Zero, "signed out: no operator shown");
    }
}
