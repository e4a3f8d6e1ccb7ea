using System.Net.Http.Json;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using Microsoft.Playwright;

namespace HcsLicensing.Console.Tests;

/// <summary>Add and edit a cluster of CHPA's inventory from the console: CHPA's refusals beside their fields, credentials write-only.</summary>
public sealed class ClusterInventoryTests : ConsolePageTest
{
    [Test]
    public async Task Adding_a_cluster_shows_CHPA_s_refusal_beside_the_field_then_adds_it_and_an_edit_keeps_the_credentials_unseen()
    {
        var cluster = Suite.TakeClusterNames(1)[0];
        var uc = (await Suite.GetUcClusterAsync(cluster))!;
        var (management, platform) = HcsSuite.ClusterCredentials(cluster);

        await SignInAsync(SuiteConsole.Operator, "clusters");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Add a cluster" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Add a cluster" })).ToBeVisibleAsync();
        var add = Page.GetByRole(AriaRole.Button, new() { Name = "Add cluster" });
        await Expect(add).ToBeEnabledAsync(); // the circuit is up
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync(cluster);
        await Page.GetByLabel("Type").SelectOptionAsync(uc.Type);
        await Page.GetByLabel("Version").FillAsync("twelve");
        await Page.GetByLabel("Publisher address").FillAsync(uc.Publisher);
        await FillCredentialsAsync("Management (AXL) credentials", management.UserName, management.Password);
        await FillCredentialsAsync("Platform (OS administration) credentials", platform.UserName, platform.Password);
        await add.ClickAsync();

        var versionError = Page.Locator(".field-error[data-field='version']");
        await Expect(versionError).ToContainTextAsync("major.minor");
        await ScreenshotAsync("cluster-add-refused");
        var refusedInInventory = await Suite.GetInventoryClusterAsync(cluster);
        var passwordAfterRefusal = await Credentials("Management (AXL) credentials").GetByLabel("Password").InputValueAsync();

        // Passwords are not kept in the page once sent: entered again, with the version corrected.
        await Page.GetByLabel("Version").FillAsync(uc.Version);
        await FillCredentialsAsync("Management (AXL) credentials", management.UserName, management.Password);
        await FillCredentialsAsync("Platform (OS administration) credentials", platform.UserName, platform.Password);
        await add.ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Cluster {cluster} added");
        var added = await Suite.GetInventoryClusterAsync(cluster);

        await Page.GotoAsync(new Uri(Console, "clusters").ToString());
        await Page.GetByRole(AriaRole.Link, new() { Name = $"Edit {cluster}", Exact = true }).ClickAsync();
        await Expect(Page.GetByLabel("Version")).ToHaveValueAsync(uc.Version);
        var shownPasswords = await Page.Locator("input[type=password]").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        var shownUsers = await Page.Locator("fieldset input:not([type=password])").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" })).ToBeEnabledAsync();
        await Page.GetByLabel("Version").FillAsync("99.1");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Cluster {cluster} saved");
        await ScreenshotAsync("cluster-edited");
        var edited = await Suite.GetInventoryClusterAsync(cluster);
        var html = await Page.ContentAsync();
        // CHPA's changes reach JobTracker's audit trail, in the operator's name and without a password.
        using var jobTracker = Suite.CreateClient(SuiteService.JobTracker);
        var audit = await Eventually.Poll(
            async () => (await jobTracker.GetFromJsonAsync<AuditPage>(new Uri($"audit?entity={cluster}", UriKind.Relative)))!,
            page => page.Items.Count >= 2,
            TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(refusedInInventory, Is.Null, "nothing added while CHPA refused");
            Assert.That(passwordAfterRefusal, Is.Empty, "a sent password is cleared");
            Assert.That(added, Is.Not.Null);
            Assert.That((added!.Type, added.Version, added.PublisherAddress), Is.EqualTo((uc.Type, uc.Version, uc.Publisher)));
            Assert.That(shownPasswords, Is.All.Empty, "the edit form never shows a saved password");
            Assert.That(shownUsers, Is.All.Empty, "nor a saved user");
            Assert.That(edited!.Version, Is.EqualTo("99.1"), "the edit saved without credentials: CHPA kept its own");
            Assert.That(html, Does.Not.Contain(management.Password).And.Not.Contain(platform.Password), "no password in the page");
            Assert.That(audit.Items.Select(e => (e.Actor, e.Detail.Split(':')[0])), Is.EqualTo(new[] { ("operator", "Cluster changed"), ("operator", "Cluster added") }), "the audit trail, newest first");
            Assert.That(audit.Items[0].Detail, Does.EndWith("credentials kept"));
            Assert.That(string.Concat(audit.Items.Select(e => e.Detail)), Does.Not.Contain(management.Password).And.Not.Contain(platform.Password));
        });
    }

    private sealed record AuditPage(IReadOnlyList<AuditLine> Items);

    private sealed record AuditLine(string Actor, string Detail);

    private ILocator Credentials(string legend) => Page.GetByRole(AriaRole.Group, new() { Name = legend });

    private async Task FillCredentialsAsync(string legend, string user, string password)
    {
        await Credentials(legend).GetByLabel("User").FillAsync(user);
        await Credentials(legend).GetByLabel("Password").FillAsync(password);
    }
}
