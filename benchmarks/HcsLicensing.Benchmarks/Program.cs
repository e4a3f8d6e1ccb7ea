using System.Globalization;
using HcsLicensing.Benchmarks;
using HcsLicensing.TestBed;

// Benchmarks of the suite on real RabbitMQ and PostgreSQL (the test bed's: local servers here, containers where
// Docker runs, or HCS_TEST_RABBITMQ / HCS_TEST_POSTGRES). Each run also measures the machine's raw broker and
// database rates, so a figure reads as a share of what the machine can do. README.md says how to read them.
//   dotnet run -c Release --project benchmarks/HcsLicensing.Benchmarks -- jobtracker [jobs]
//   dotnet run -c Release --project benchmarks/HcsLicensing.Benchmarks -- clusterassign [N] [rate] [--in-flight=K] ...
//   dotnet run -c Release --project benchmarks/HcsLicensing.Benchmarks -- drill [N=500] [--short]   (reliability drill, docs/reliability.md)
//   dotnet run -c Release --project benchmarks/HcsLicensing.Benchmarks -- licenseaudit [N=3000] [--concurrency=50] ...   (docs/audit.md)
var benchmark = args.FirstOrDefault() ?? "jobtracker";
ClusterAssignSettings? clusterAssign = null;
if (benchmark == "drill")
{
    DrillSettings drill;
    try
    {
        drill = DrillSettings.Parse(args[1..]);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }

    // Not a measurement: no machine limits. The drill stops and starts these servers, so they are its own.
    await using var drillServers = await TestServers.StartAsync();
    try
    {
        return await Drill.RunAsync(drillServers, drill);
    }
    catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
    {
        Console.Error.WriteLine($"drill FAILED to run: {e}");
        return 1;
    }
}

if (benchmark == "licenseaudit")
{
    LicenseAuditSettings audit;
    try
    {
        audit = LicenseAuditSettings.Parse(args[1..]);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }

    await using var auditServers = await TestServers.StartAsync();
    Console.WriteLine($"servers: {auditServers.Source}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    try
    {
        return await LicenseAuditLoad.RunAsync(auditServers, audit);
    }
    catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException)
    {
        Console.Error.WriteLine($"licenseaudit FAILED: {e.Message}");
        return 1;
    }
}

if (benchmark == "clusterassign")
{
    try
    {
        clusterAssign = ClusterAssignSettings.Parse(args[1..]);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
}
else if (benchmark != "jobtracker")
{
    Console.Error.WriteLine($"unknown benchmark '{benchmark}'; known: jobtracker, clusterassign, drill, licenseaudit\n{ClusterAssignSettings.Usage}\n{DrillSettings.Usage}\n{LicenseAuditSettings.Usage}");
    return 2;
}

await using var servers = await TestServers.StartAsync();
Console.WriteLine($"servers: {servers.Source}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
var machine = await MachineLimits.MeasureAsync(servers, TimeSpan.FromSeconds(5));

switch (benchmark)
{
    case "jobtracker":
        var jobs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var eventsPerSecond = await JobTrackerLoad.RunAsync(servers, jobs);
        Console.WriteLine($"share of machine: {eventsPerSecond / machine.MessagesPerSecond:P0} of the raw confirmed publish rate, {eventsPerSecond / machine.CommitsPerSecond:P0} of the raw commit rate (one commit per event)");
        return 0;
    default:
        try
        {
            return await ClusterAssignLoad.RunAsync(servers, new MachineRates(machine.MessagesPerSecond, machine.CommitsPerSecond), clusterAssign!);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            // A stalled phase, failed warm-up jobs, a suite that did not start: the message says what and where.
            Console.Error.WriteLine($"clusterassign FAILED: {e.Message}");
            return 1;
        }
}
