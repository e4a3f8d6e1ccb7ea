using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.Console.Tests;

/// <summary>Replicas share the session: a second console on the same DataProtection:KeysPath reads the cookie the first issued.</summary>
public sealed class SessionKeysTests : ConsolePageTest
{
    [Test]
    public async Task A_second_console_on_the_same_keys_directory_keeps_the_operator_signed_in_and_one_on_other_keys_does_not()
    {
        await SignInAsync(SuiteConsole.Operator, "jobs");
        var environment = new Dictionary<string, string>(Suite.EnvironmentOf(SuiteService.Console));
        var assembly = Suite.AssemblyPathOf(SuiteService.Console);
        var otherKeys = Path.Combine(Path.GetTempPath(), $"hcs-console-other-keys-{Guid.NewGuid():N}");

        bool signedInOnReplica, signedInOnStranger;
        await using (var replica = await ServiceProcess.StartAsync(assembly, environment))
        {
            // Cookies belong to the host, not the port: the browser sends the first console's cookie to the replica.
            await Page.GotoAsync(new Uri(replica.Address, "jobs").ToString());
            signedInOnReplica = await Page.GetByTestId("operator").IsVisibleAsync();
            await ScreenshotAsync("replica-signed-in");
        }

        try
        {
            environment["DataProtection__KeysPath"] = otherKeys;
            await using var stranger = await ServiceProcess.StartAsync(assembly, environment);
            await Page.GotoAsync(new Uri(stranger.Address, "jobs").ToString());
            signedInOnStranger = await Page.GetByTestId("operator").IsVisibleAsync();
        }
        finally
        {
            Directory.Delete(otherKeys, recursive: true);
        }

        Assert.Multiple(() =>
        {
            Assert.That(signedInOnReplica, Is.True, "the replica decrypted the session cookie with the shared keys");
            Assert.That(signedInOnStranger, Is.False, "a console with other keys cannot read it: the keys are what is shared");
            Assert.That(Directory.EnumerateFiles(ConsoleSuite.KeysPath, "key-*.xml"), Is.Not.Empty, "the keys are in DataProtection:KeysPath");
        });
    }
}
