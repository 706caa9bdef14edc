// The one table of Cloudflare API v4 error codes Nubis answers with (API-SURFACE.md §7,
// RELIABILITY.md §1). Every error a client can see is built from a row here, so the codes, their
// HTTP statuses and their wording live in one place.
#pragma once

#include <string>
#include <string_view>

#include "base/api_error.h"

namespace nubis::api {

// X(name, http status, Cloudflare code, message)
#define NUBIS_API_ERRORS(X)                                                                      \
  X(NoCredentials, 400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")      \
  X(InvalidHeaders, 400, 6003, "Invalid request headers")                                        \
  X(BadEmailHeader, 400, 6102, "Invalid format for X-Auth-Email header")                        \
  X(BadKeyHeader, 400, 6103, "Invalid format for X-Auth-Key header")                            \
  X(BadAuthorizationHeader, 400, 6111, "Invalid format for Authorization header")               \
  X(ServiceKeyUnsupported, 400, 6003,                                                            \
    "X-Auth-User-Service-Key (Origin CA key) is not supported by Nubis; use an API token")       \
  X(MissingAuthorization, 400, 1001, "Missing \"Authorization\" header")                        \
  X(InvalidApiToken, 401, 1000, "Invalid API Token")                                             \
  X(InvalidAccessToken, 403, 9109, "Invalid access token")                                       \
  X(Unauthorized, 403, 9109, "Unauthorized to access requested resource")                        \
  X(AuthenticationError, 403, 10000, "Authentication error")                                     \
  X(IpNotAllowed, 403, 9109, "Cannot use the access token from location: ")                     \
  X(UnknownKey, 403, 9103, "Unknown X-Auth-Key or X-Auth-Email")                                 \
  /* Dashboard sessions (Nubis's own dashboard; Cloudflare's is not this API).                */ \
  X(SessionInvalid, 401, 10000, "Authentication error: the dashboard session is unknown or has ended") \
  X(CsrfRefused, 403, 10000, "Authentication error: missing or wrong X-CSRF-Token header")    \
  X(SignInRefused, 401, 9103, "Invalid e-mail or password")                                      \
  X(SignInLocked, 429, 971, "Too many failed sign-ins: try again in 15 minutes")               \
  X(AccountTokenOnAccounts, 400, 1001,                                                           \
    "List accounts endpoint does not support account owned tokens.")                            \
  X(RateLimited, 429, 971, "Please wait and consider throttling your request speed")            \
  X(CouldNotRoute, 400, 7003, "Could not route to ")                                             \
  X(NoRoute, 400, 7000, "No route for that URI")                                                 \
  X(MethodNotAllowed, 405, 7001, "Method not allowed")                                           \
  X(MalformedJson, 400, 6007, "Malformed JSON in request body")                                  \
  X(ContentType, 400, 9207, "Content-type must be application/json.")                           \
  X(Validation, 400, 1001, "")                                                                   \
  X(BodyTooLarge, 413, 6004, "Request body too large")                                           \
  X(HeaderTooLarge, 431, 6005, "Request header fields too large")                                \
  X(MalformedRequest, 400, 6000, "Malformed request")                                            \
  X(Busy, 503, 10013, "Nubis is busy; retry shortly")                                            \
  X(Internal, 500, 10001, "Internal server error")                                               \
  X(NotImplemented, 501, 7000, "Not implemented by Nubis: ")                                     \
  X(TokenNotFound, 404, 1003, "Invalid or missing token identifier")                             \
  X(TokenQuota, 400, 1002, "Token limit reached")                                                \
  X(MembershipNotFound, 404, 1003, "Membership not found")                                       \
  /* Account members and invites: Cloudflare's codes for these refusals are unseen; 1003 is   */ \
  /* its "not found" for identity objects, 1001 its validation code.                          */ \
  X(MemberNotFound, 404, 1003, "Member not found")                                               \
  X(InviteNotFound, 404, 1003, "Invite not found")                                               \
  X(RoleNotFound, 404, 1003, "Role not found")                                                   \
  X(MemberExists, 400, 1001, " is already a member of this account or has a pending invite")    \
  X(LastSuperAdministrator, 400, 1001,                                                           \
    "An account must keep at least one accepted Super Administrator - All Privileges")          \
  X(AccountNotFound, 404, 1003, "Account not found")                                             \
  X(ZoneExists, 400, 1061, " already exists")                                                    \
  X(ZoneNotFound, 404, 1001, "Invalid zone identifier")                                          \
  X(ZoneValidation, 400, 1099, "")                                                               \
  X(ZoneSettingUnknown, 400, 1006, "Unrecognized zone setting name: ")                           \
  /* A subdomain of a registrable domain (Cloudflare docs, "Cannot add domain": 1116). */        \
  X(ZoneNotApex, 400, 1116,                                                                      \
    "Please ensure you are providing the root domain and not any subdomains (e.g., "             \
    "example.com, not subdomain.example.com)")                                                   \
  X(CertPackNotFound, 404, 1003, "Certificate pack not found")                                   \
  /* DNS records (API-SURFACE.md §4.7, §7: codes seen in clients' issue trackers). */            \
  X(DnsValidation, 400, 1004, "DNS Validation Error: ")                                          \
  X(DnsRecordNotFound, 404, 81044, "Record does not exist.")                                     \
  X(DnsIdentical, 400, 81058, "An identical record already exists.")                             \
  X(DnsHostTaken, 400, 81053, "An A, AAAA, or CNAME record with that host already exists.")      \
  X(DnsCnameExists, 400, 81054,                                                                  \
    "A CNAME record with that host already exists. For more details, refer to "                 \
    "<https://developers.cloudflare.com/dns/manage-dns-records/troubleshooting/"                 \
    "records-with-same-name/>.")                                                                 \
  /* Cloudflare Images (IMAGES.md A.13; statuses where Cloudflare's are unseen are ours). */    \
  X(ImageBadRequest, 400, 5400, "")                                                              \
  X(ImageNotFound, 404, 5404, "Image not found")                                                 \
  X(ImageExists, 400, 5409, "An image with this ID already exists")                             \
  X(CustomIdInvalid, 400, 5411,                                                                  \
    "The Custom ID is invalid. Custom IDs can include 1024 characters or less, any number of "   \
    "subpaths, and support the UTF-8 encoding standard for characters. Enter a new Custom ID "   \
    "and try again: ")                                                                           \
  X(CustomIdPrivate, 400, 5400,                                                                  \
    "The image contains a custom ID and cannot be set to private. To make the image private, "   \
    "delete and upload the image again using a regular ID.")                                     \
  X(ImageTooManyPixels, 400, 5400, "")                                                           \
  X(AnimationTooLarge, 400, 5443, "")                                                            \
  X(UrlFetchFailed, 400, 5454, "")                                                               \
  X(ImageContentType, 415, 5455,                                                                 \
    "Uploaded image must have image/jpeg, image/png, image/webp, image/gif or image/svg+xml "    \
    "content-type")                                                                              \
  X(ImageDecode, 400, 9422, "error during decoding: ")                                          \
  X(ImageFileTooLarge, 413, 7011, "Request entity is too large")                                \
  X(MultipartInvalid, 400, 5400, "Malformed multipart/form-data: ")                             \
  X(DirectUploadExpired, 400, 5400, "The upload URL has expired")                                \
  X(DirectUploadUsed, 400, 5400, "The upload URL has already been used")                         \
  X(VariantNotFound, 404, 5404, "Variant not found")                                             \
  X(VariantExists, 400, 5400, "A variant with this name already exists")                        \
  X(VariantLimit, 400, 5400, "An account can have at most 100 variants")                        \
  X(SigningKeyNotFound, 404, 5404, "Signing key not found")                                      \
  X(ImagesBusy, 503, 5503, "Image processing is busy; retry shortly")                          \
  X(ImageAllowance, 403, 5403, "The account's image storage allowance is used up: ")

enum class Err {
#define NUBIS_ERR_ENUM(name, status, code, msg) name,
  NUBIS_API_ERRORS(NUBIS_ERR_ENUM)
#undef NUBIS_ERR_ENUM
};

struct ErrorSpec {
  Err id;
  int http_status;
  int code;
  std::string_view message;
};

const ErrorSpec& spec(Err e);

// The row's error with its message; `suffix` is appended (e.g. the path for CouldNotRoute, the
// IP for IpNotAllowed); when the row's message is empty the suffix is the whole message.
ApiError error(Err e, std::string_view suffix = {});

// A validation error (400) whose message names the field.
ApiError invalid(std::string_view message);

// The "Could not route" pair Cloudflare answers for an unknown id or path.
ApiError noRoute(std::string_view path);

}  // namespace nubis::api
