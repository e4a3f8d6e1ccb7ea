using HcsLicensing.ServiceDefaults.Http;
using HcsLicensing.ServiceDefaults.Security;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.SmartAccountSync.SmartAccounts;

/// <summary>HCM-F's Smart Account configuration and Smart Account Summary over HTTP; errors are RFC 9457 problem details.</summary>
public static class SmartAccountsApi
{
    public static IEndpointRouteBuilder MapSmartAccountsApi(this IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup("/smart-accounts").WithTags("Smart Accounts");
        accounts.MapPost("/", Configure).RequirePermission(HcsPermissions.Admin).TestsCredentials();
        accounts.MapGet("/", List).RequirePermission(HcsPermissions.Read);
        accounts.MapGet("/{id:guid}", Get).RequirePermission(HcsPermissions.Read);
        accounts.MapPost("/{id:guid}/sync", Sync).RequirePermission(HcsPermissions.Operate);
        endpoints.MapGet("/syncs/{jobId:guid}", GetSync).WithTags("Smart Accounts").RequirePermission(HcsPermissions.Read);
        return endpoints;
    }

    private static async Task<Results<Created<SmartAccountConfiguredDto>, Ok<SmartAccountConfiguredDto>, ValidationProblem, ProblemHttpResult>> Configure(
        ConfigureSmartAccountRequest request, HttpContext http, SmartAccountConfigurator configurator, SmartAccountSyncDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SmartAccountDomain.TryRead(request.Domain, out var domain))
        {
            errors["domain"] = ["the smart account's domain name is required, e.g. hcs-demo.example.com"];
        }

        if (string.IsNullOrWhiteSpace(request.ClientId) || request.ClientId.Length > 256)
        {
            errors["clientId"] = ["the API client's Client ID is required (at most 256 characters)"];
        }

        // Never echo the secret back, not even in a validation message.
        if (string.IsNullOrEmpty(request.ClientSecret) || request.ClientSecret.Length > 1024)
        {
            errors["clientSecret"] = ["the API client's Client Secret is required (at most 1024 characters)"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await configurator.ConfigureAsync(domain, request.ClientId!.Trim(), request.ClientSecret!, CallerIdentity.Of(http.User), cancellationToken);
        if (outcome.SmartAccountId is not { } id)
        {
            return TypedResults.Problem(
                title: outcome.Title,
                detail: outcome.Detail,
                statusCode: outcome.CssmUnavailable ? StatusCodes.Status502BadGateway : StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["reason"] = outcome.Reason });
        }

        var dto = new SmartAccountConfiguredDto((await SmartAccountQueries.FindAsync(db, id, cancellationToken))!, outcome.SyncJobId!.Value);
        return outcome.Created ? TypedResults.Created($"/smart-accounts/{id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<Ok<PageDto<SmartAccountDto>>, ValidationProblem>> List(
        string? name, string? domain, string? page, string? pageSize, SmartAccountSyncDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.SmartAccounts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(name))
        {
            query = query.Where(a => EF.Functions.ILike(a.Name, $"%{SmartAccountQueries.EscapeLike(name.Trim())}%"));
        }

        if (!string.IsNullOrWhiteSpace(domain))
        {
            query = query.Where(a => EF.Functions.ILike(a.Domain, $"%{SmartAccountQueries.EscapeLike(domain.Trim())}%"));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await SmartAccountQueries.ProjectAsync(db, query.OrderBy(a => a.Name).ThenBy(a => a.Domain).Skip(paging.Skip).Take(paging.PageSize), cancellationToken);
        return TypedResults.Ok(new PageDto<SmartAccountDto>(items, paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Ok<SmartAccountDto>, ProblemHttpResult>> Get(Guid id, SmartAccountSyncDbContext db, CancellationToken cancellationToken) =>
        await SmartAccountQueries.FindAsync(db, id, cancellationToken) is { } account ? TypedResults.Ok(account) : NotFound(id);

    private static async Task<Results<Accepted<SyncRequestedDto>, ProblemHttpResult>> Sync(
        Guid id, HttpContext http, SmartAccountSyncDbContext db, SyncCoordinator coordinator, CancellationToken cancellationToken)
    {
        var account = await db.SmartAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return NotFound(id);
        }

        var claim = await coordinator.RequestAsync(account, "Http", cancellationToken, requestedBy: CallerIdentity.Of(http.User));
        return TypedResults.Accepted($"/syncs/{claim.JobId}", new SyncRequestedDto(claim.JobId, claim.Outcome == SyncClaimOutcome.Joined));
    }

    private static async Task<Results<Ok<SyncDto>, ProblemHttpResult>> GetSync(Guid jobId, SmartAccountSyncDbContext db, CancellationToken cancellationToken) =>
        await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync(r => r.JobId == jobId, cancellationToken) is { } run
            ? TypedResults.Ok(SyncDto.From(run))
            : TypedResults.Problem(title: "Sync not found", detail: $"no sync job {jobId}", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "Smart account not found", detail: $"smart account {id} not found", statusCode: StatusCodes.Status404NotFound);
}
