using System.Globalization;
using System.Net;
using HcsLicensing.Contracts.SmartAccounts;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.SmartAccountSync.Cssm;
using HcsLicensing.SmartAccountSync.Data;
using HcsLicensing.SmartAccountSync.SmartAccounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Refit;

namespace HcsLicensing.SmartAccountSync.Tokens;

/// <summary>
/// HCM-F does all token management itself: a registration token for a VA is one already known with enough time
/// left, else one CSSM lists with enough time left, else a new one created through swapi (never export-controlled;
/// a creation whose answer was lost is looked up in CSSM's list before another is tried).
/// Requests for the same VA are serialized by a PostgreSQL advisory lock, so concurrent ones share one new token.
/// </summary>
public sealed class RegistrationTokenIssuer(
    SmartAccountSyncDbContext db,
    ISwapiApi swapi,
    ClientSecretProtector secrets,
    RegistrationTokenProtector tokens,
    IOptions<RegistrationTokenOptions> options,
    IOptions<CssmOptions> cssm,
    TimeProvider clock,
    ILogger<RegistrationTokenIssuer> logger)
{
    public async Task<TokenOutcome> IssueAsync(GetRegistrationTokenRequest request, CancellationToken cancellationToken)
    {
        var domain = request.SmartAccountDomain.Trim().ToLowerInvariant();
        var name = request.VirtualAccountName.Trim();
        var account = await db.SmartAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Domain == domain, cancellationToken);
        if (account is null)
        {
            return Refuse(request, RegistrationTokenRefusalReason.UnknownSmartAccount, $"Smart account {domain} is not configured");
        }

        if (account.SatelliteVirtualAccounts.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return Refuse(request, RegistrationTokenRefusalReason.SatelliteSynced,
                $"Virtual account {name} of {account.Name} is synced via a satellite; such virtual accounts are ignored");
        }

        var va = await db.VirtualAccounts.AsNoTracking().SingleOrDefaultAsync(v => v.SmartAccountId == account.Id && v.Name == name, cancellationToken);
        if (va is null || va.RemovedAt is not null)
        {
            return Refuse(request, RegistrationTokenRefusalReason.UnknownVirtualAccount, va is null
                ? $"Smart account {account.Name} has no virtual account {name} (sync the smart account if it was added in CSSM lately)"
                : $"Virtual account {name} was removed from CSSM (noticed at {va.RemovedAt:u})");
        }

        try
        {
            return await IssueLockedAsync(request, account, va.Name, cancellationToken);
        }
        catch (ApiException notFound) when (notFound.StatusCode == HttpStatusCode.NotFound)
        {
            return Refuse(request, RegistrationTokenRefusalReason.UnknownVirtualAccount, $"CSSM no longer has virtual account {name} in {account.Name}");
        }
        catch (Exception exception) when (exception is CssmAuthenticationException or ApiException || CssmErrors.IsUnavailable(exception))
        {
            logger.LogWarning("No registration token for {Domain}/{VirtualAccount}: {Error}", domain, name, CssmErrors.Describe(exception));
            return Refuse(request, RegistrationTokenRefusalReason.CssmUnavailable, CssmErrors.Describe(exception));
        }
    }

    private async Task<TokenOutcome> IssueLockedAsync(GetRegistrationTokenRequest request, SmartAccount account, string virtualAccount, CancellationToken cancellationToken)
    {
        // Inside the token consumer this is the message's own transaction (the outbox's): the lock lasts until it commits.
        await using var transaction = await JoinedTransaction.BeginOrJoinAsync(db.Database, cancellationToken);
        var lockKey = $"registration-token/{account.Id}/{virtualAccount}";
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({lockKey}, 0))", cancellationToken);

        var now = clock.GetUtcNow();
        var validUntil = now + options.Value.MinimumRemaining;
        var known = await db.RegistrationTokens.AsNoTracking()
            .Where(t => t.SmartAccountId == account.Id && t.VirtualAccountName == virtualAccount && t.ExpiresAt > validUntil)
            .OrderByDescending(t => t.ExpiresAt)
            .Take(5)
            .ToListAsync(cancellationToken);
        // The first one that decrypts; one that does not (key ring lost) is passed over, and a new one obtained.
        if (known.Select(t => (Token: tokens.Unprotect(t.Token), t.ExpiresAt)).FirstOrDefault(t => t.Token is not null) is { Token: { } cached } usableKnown)
        {
            return Issue(account, virtualAccount, cached, usableKnown.ExpiresAt, reused: true);
        }

        var credentials = secrets.CredentialsOf(account);
        var listed = await FindListedAsync(account, virtualAccount, credentials, validUntil, cancellationToken);
        var reused = listed is not null;
        var (token, expires) = listed ?? await CreateAsync(request, account, virtualAccount, credentials, validUntil, cancellationToken);

        db.RegistrationTokens.Add(new RegistrationToken { Token = tokens.Protect(token), SmartAccountId = account.Id, VirtualAccountName = virtualAccount, ExpiresAt = expires, ObtainedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Issue(account, virtualAccount, token, expires, reused);
    }

    /// <summary>The token with the most time left that CSSM lists for the VA, if it is valid past <paramref name="validUntil"/>.</summary>
    private async Task<(string Token, DateTimeOffset Expires)?> FindListedAsync(
        SmartAccount account, string virtualAccount, CssmCredentials credentials, DateTimeOffset validUntil, CancellationToken cancellationToken)
    {
        var listed = (await swapi.GetTokensAsync(account.Domain, virtualAccount, credentials, cancellationToken)).Tokens ?? [];
        return listed
            .Where(t => !string.Equals(t.Status, "EXPIRED", StringComparison.OrdinalIgnoreCase))
            .Select(t => (t.Token, Expires: ParseInstant(t.ExpirationDate)))
            .Where(t => t.Expires > validUntil)
            .OrderByDescending(t => t.Expires)
            .Select(t => ((string Token, DateTimeOffset Expires)?)(t.Token, t.Expires!.Value))
            .FirstOrDefault();
    }

    /// <summary>
    /// Creates a token. The POST is never retried blindly (the resilience pipeline leaves POSTs alone): when its
    /// answer is lost (timeout, 5xx, connection), CSSM may have created the token all the same, so the VA's tokens
    /// are listed again and a usable one taken before another is created.
    /// </summary>
    private async Task<(string Token, DateTimeOffset Expires)> CreateAsync(
        GetRegistrationTokenRequest request, SmartAccount account, string virtualAccount, CssmCredentials credentials, DateTimeOffset validUntil, CancellationToken cancellationToken)
    {
        var days = options.Value.ExpiresAfterDays;
        var description = string.IsNullOrWhiteSpace(request.Purpose) ? "Created by HcsLicensing" : $"Created by HcsLicensing for {request.Purpose}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Tokens HCM-F creates cannot be export-controlled.
                var created = await swapi.CreateTokenAsync(account.Domain, virtualAccount, new SwapiNewToken(description, days, "Not Allowed"), credentials, cancellationToken);
                var info = created.TokenInfo ?? throw new InvalidOperationException($"CSSM created no token for {virtualAccount}: {created.StatusMessage}");
                logger.LogInformation("Created a registration token for {Domain}/{VirtualAccount}, valid {Days} days", account.Domain, virtualAccount, days);
                return (info.Token, ParseInstant(info.ExpirationDate) ?? clock.GetUtcNow().AddDays(days));
            }
            catch (Exception exception) when (CssmErrors.IsUnavailable(exception) && !cancellationToken.IsCancellationRequested && attempt <= cssm.Value.MaxRetries)
            {
                logger.LogWarning("Creating a registration token for {Domain}/{VirtualAccount} got no answer ({Error}); looking for it in CSSM before another try",
                    account.Domain, virtualAccount, CssmErrors.Describe(exception));
                await Task.Delay(cssm.Value.RetryDelay * Math.Pow(2, attempt - 1), clock, cancellationToken);
                if (await FindListedAsync(account, virtualAccount, credentials, validUntil, cancellationToken) is { } createdAnyway)
                {
                    return createdAnyway;
                }
            }
        }
    }

    private static DateTimeOffset? ParseInstant(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant : null;

    private static TokenOutcome Issue(SmartAccount account, string virtualAccount, string token, DateTimeOffset expires, bool reused) =>
        new(new RegistrationTokenIssued { SmartAccountDomain = account.Domain, VirtualAccountName = virtualAccount, Token = token, ExpiresAt = expires, Reused = reused }, null);

    private static TokenOutcome Refuse(GetRegistrationTokenRequest request, RegistrationTokenRefusalReason reason, string detail) =>
        new(null, new RegistrationTokenRefused { SmartAccountDomain = request.SmartAccountDomain, VirtualAccountName = request.VirtualAccountName, Reason = reason, Detail = detail });
}

/// <summary>Either a token or a refusal.</summary>
public sealed record TokenOutcome(RegistrationTokenIssued? Issued, RegistrationTokenRefused? Refused);
