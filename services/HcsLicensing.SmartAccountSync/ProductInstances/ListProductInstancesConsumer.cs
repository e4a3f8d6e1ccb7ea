using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Refit;

namespace HcsLicensing.SmartAccountSync.ProductInstances;

/// <summary>
/// Answers ListProductInstancesRequest with what CSSM lists now for one or every configured smart account. This service
/// holds the smart accounts' client secrets, so CSSM is read here and nowhere else. A smart account that cannot be
/// read is named in the answer's failures (its view is unknown), never left out silently nor failing the others.
/// </summary>
public sealed class ListProductInstancesConsumer(
    SmartAccountSyncDbContext db, ProductInstanceSearch search, ClientSecretProtector secrets, ILogger<ListProductInstancesConsumer> logger)
    : IConsumer<ListProductInstancesRequest>
{
    public async Task Consume(ConsumeContext<ListProductInstancesRequest> context)
    {
        var domain = context.Message.SmartAccountDomain?.Trim().ToLowerInvariant();
        var accounts = await db.SmartAccounts.AsNoTracking()
            .Where(a => string.IsNullOrEmpty(domain) || a.Domain == domain)
            .OrderBy(a => a.Domain)
            .ToListAsync(context.CancellationToken);

        var instances = new List<ListedProductInstance>();
        var failures = new List<ProductInstanceListFailure>();
        if (!string.IsNullOrEmpty(domain) && accounts.Count == 0)
        {
            failures.Add(new ProductInstanceListFailure { SmartAccountDomain = domain, Detail = $"Smart account {domain} is not configured" });
        }

        foreach (var account in accounts)
        {
            try
            {
                instances.AddRange(await search.ReadAsync(account, secrets.CredentialsOf(account), context.CancellationToken));
            }
            catch (Exception exception) when (exception is CssmAuthenticationException or ApiException || CssmErrors.IsUnavailable(exception))
            {
                logger.LogWarning("Product instances of {Domain} could not be read: {Error}", account.Domain, CssmErrors.Describe(exception));
                failures.Add(new ProductInstanceListFailure { SmartAccountDomain = account.Domain, Detail = CssmErrors.Describe(exception) });
            }
        }

        logger.LogInformation("Listed {Count} product instances of {Accounts} smart accounts ({Failed} could not be read)", instances.Count, accounts.Count, failures.Count);
        await context.RespondAsync(new ProductInstancesListed
        {
            ProductInstances = instances,
            Failures = failures,
            SmartAccountDomains = [.. accounts.Select(a => a.Domain).Except(failures.Select(f => f.SmartAccountDomain))],
        });
    }
}
