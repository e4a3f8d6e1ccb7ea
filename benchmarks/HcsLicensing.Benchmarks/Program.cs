using HcsLicensing.Benchmarks;
using HcsLicensing.TestBed;

// Benchmarks of the suite on real RabbitMQ and PostgreSQL (the test bed's: local servers here, containers where
// Docker runs, or HCS_TEST_RABBITMQ / HCS_TEST_POSTGRES). Each run also measures the machine's raw broker and
// database rates, so a figure reads as a share of what the machine can do.
//   dotnet run -c Release --project benchmarks/HcsLicensing.Benchmarks -- jobtracker [jobs]
var benchmark = args.FirstOrDefault() ?? "jobtracker";
await using var servers = await TestServers.StartAsync();
Console.WriteLine($"servers: {servers.Source}; {Environment.ProcessorCount} cores");
var machine = await MachineLimits.MeasureAsync(servers, TimeSpan.FromSeconds(5));

switch (benchmark)
{
    case "jobtracker":
        var jobs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        var eventsPerSecond = await JobTrackerLoad.RunAsync(servers, jobs);
        Console.WriteLine($"share of machine: {eventsPerSecond / machine.MessagesPerSecond:P0} of the raw confirmed publish rate, {eventsPerSecond / machine.CommitsPerSecond:P0} of the raw commit rate (one commit per event)");
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{benchmark}'; known: jobtracker");
        return 2;
}

return 0;
