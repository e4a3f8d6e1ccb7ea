using HcsLicensing.JobTracker.Audit;
using HcsLicensing.JobTracker.Data;
using HcsLicensing.JobTracker.Jobs;
using HcsLicensing.ServiceDefaults;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.ErrorQueues;
using HcsLicensing.ServiceDefaults.Messaging;
using HcsLicensing.ServiceDefaults.Retention;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.ServiceDefaults.Sagas;
using HcsLicensing.ServiceDefaults.Validation;

// JobTracker: HCM-F's Administration > Jobs. Services publish job events; each job is a saga kept in PostgreSQL.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("JobTracker");
builder.AddServiceApiSecurity(); // every endpoint: a bearer token of Authentication:Authority with its hcs.* permission
builder.AddServiceDatabase<JobTrackerDbContext>();
builder.Services.AddSingleton<JobMetrics>(); // the Meter "HcsLicensing.Jobs", which the service defaults export
builder.Services.AddScoped<AuditTrail>(); // who did what when, written in the transaction of the message that did it
builder.AddServiceBus<JobTrackerDbContext>(
    bus =>
    {
        bus.AddMessageLimits(); // every contract message checked: lengths and enums (docs/security.md)
        bus.AddSagaStateMachine<JobStateMachine, JobState>().PostgresRepository<JobState, JobTrackerDbContext>();
        bus.AddConsumer<AuditTrailConsumer>(); // restarts, cancels, configuration changes (job starts: the job saga)
    },
    schedulerQueue: "jobtracker-scheduler");
builder.AddRetention<JobTrackerDbContext>(JobRetention.FinishedJobs, JobRetention.AuditEntries); // finished jobs go after 90 days, audit entries after a year (Retention:Keep)

var app = builder.Build();
if (await app.RunErrorQueueCommandAsync(args)) return; // `errors list|move ...`: the operator's error queue tool, not the service (docs/reliability.md)

app.MapServiceDefaults();
app.MapJobsApi();
app.MapAuditApi();

app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
