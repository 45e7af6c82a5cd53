#!/usr/bin/env bash
# Runs sipgw on Payara Server 6: the README's "Payara Server" deployment, and what `mvn verify -Ppayara-server`
# runs before its smoke suite (server-config/payara-server, pom.xml).
#
#   deploy.sh start  PAYARA_HOME DOMAINDIR WAR [key=value ...]  create the domain if it is not there, start it,
#                                                                 configure it and deploy WAR at / (a deployed
#                                                                 sipgw is undeployed and the domain restarted first)
#   deploy.sh stop   PAYARA_HOME DOMAINDIR                        stop the domain
#   deploy.sh delete PAYARA_HOME DOMAINDIR                        stop the domain and delete it (its last
#                                                                 server.log is kept as DOMAINDIR/NAME-server.log)
#
# PAYARA_HOME is the unpacked Payara Server (the folder with bin/asadmin, e.g. /opt/payara6), DOMAINDIR the
# folder that holds the domain (asadmin --domaindir). Each key=value becomes a system property of the server
# (asadmin create-system-properties, kept in domain.xml): the gateway's sipgw.* settings (README,
# Configuration), e.g. sipgw.data.dir=/var/lib/sipgw sipgw.accounts.file=/etc/sipgw/accounts.properties.
# A relative path would be taken from DOMAINDIR/NAME/config, the server's working folder: give absolute ones.
# A value cannot be empty (leave the key out to keep its default).
#
# Environment: SIPGW_DOMAIN (the domain's name, default sipgw); the ports of a new domain (an existing one
# keeps its own): PAYARA_ADMIN_PORT (4848), PAYARA_HTTP_PORT (8081), PAYARA_HTTPS_PORT (8181),
# PAYARA_IIOP_PORT (3700), PAYARA_IIOPS_PORT (3820), PAYARA_IIOP_MUTUALAUTH_PORT (3920), PAYARA_JMS_PORT (7676),
# PAYARA_JMX_PORT (8686), PAYARA_OSGI_SHELL_PORT (6666), PAYARA_DEBUG_PORT (9009), PAYARA_HAZELCAST_DAS_PORT
# (4900), PAYARA_HAZELCAST_START_PORT (5900). The domain's admin user is `admin` with no password, and every
# listener is on loopback (domain-commands.asadmin); to administer it from elsewhere, give admin a password
# (asadmin change-admin-password, then AS_ADMIN_PASSWORDFILE for this script) and asadmin enable-secure-admin.
set -Eeuo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
payara_home="${2:-}"
domaindir="${3:-}"
if [ -z "$cmd" ] || [ -z "$payara_home" ] || [ -z "$domaindir" ]; then
  sed -n '2,26p' "$0" >&2
  exit 2
fi
case "$cmd" in
  start|stop|delete) ;;
  *) sed -n '2,26p' "$0" >&2; exit 2 ;;
esac
domain="${SIPGW_DOMAIN:-sipgw}"
mkdir -p "$domaindir"
domaindir="$(cd "$domaindir" && pwd)"
domain_xml="$domaindir/$domain/config/domain.xml"
server_log="$domaindir/$domain/logs/server.log"
# stop and delete have nothing to do without a domain
if [ "$cmd" != start ] && [ ! -f "$domain_xml" ]; then
  exit 0
fi
# bash: the unpacked distribution's scripts may have lost their executable bit
asadmin=(bash "$payara_home/bin/asadmin")
[ -f "$payara_home/bin/asadmin" ] || { echo "no Payara Server in $payara_home (bin/asadmin missing)" >&2; exit 1; }

# The admin port of the domain as domain.xml has it.
admin_port() {
  grep -E '<network-listener[^>]*name="admin-listener"' "$domain_xml" | grep -oE ' port="[0-9]+"' | grep -oE '[0-9]+' | head -n 1
}

running() {
  [ -f "$domaindir/$domain/config/pid" ] && kill -0 "$(cat "$domaindir/$domain/config/pid")" 2>/dev/null
}

stop() {
  [ -f "$domain_xml" ] || return 0
  running || return 0
  "${asadmin[@]}" stop-domain --domaindir "$domaindir" "$domain" \
    || "${asadmin[@]}" stop-domain --kill=true --domaindir "$domaindir" "$domain"
}

create() {
  "${asadmin[@]}" create-domain --nopassword --domaindir "$domaindir" \
    --adminport "${PAYARA_ADMIN_PORT:-4848}" --instanceport "${PAYARA_HTTP_PORT:-8081}" \
    --domainproperties "$(printf '%s:' \
      "http.ssl.port=${PAYARA_HTTPS_PORT:-8181}" \
      "orb.listener.port=${PAYARA_IIOP_PORT:-3700}" \
      "orb.ssl.port=${PAYARA_IIOPS_PORT:-3820}" \
      "orb.mutualauth.port=${PAYARA_IIOP_MUTUALAUTH_PORT:-3920}" \
      "jms.port=${PAYARA_JMS_PORT:-7676}" \
      "domain.jmxPort=${PAYARA_JMX_PORT:-8686}" \
      "osgi.shell.telnet.port=${PAYARA_OSGI_SHELL_PORT:-6666}" \
      "java.debugger.port=${PAYARA_DEBUG_PORT:-9009}" \
      "hazelcast.das.port=${PAYARA_HAZELCAST_DAS_PORT:-4900}" \
      "hazelcast.start.port=${PAYARA_HAZELCAST_START_PORT:-5900}" | sed 's/:$//')" \
    "$domain"
}

# A failed start leaves no server running (the domain folder stays, with its log).
failed() {
  echo "deploy.sh: starting sipgw on Payara Server failed; the end of $server_log:" >&2
  tail -n 80 "$server_log" >&2 2>/dev/null || true
  stop >&2 || true
  exit 1
}

start() {
  local war="${1:-}"
  shift || true
  [ -f "$war" ] || { echo "no WAR at '$war' (mvn package builds target/sipgw.war)" >&2; exit 2; }
  war="$(cd "$(dirname "$war")" && pwd)/$(basename "$war")"
  local setting
  for setting in "$@"; do
    # a system property cannot be empty: leave the key out to keep its default
    [[ "$setting" =~ ^[A-Za-z0-9_.-]+=.+$ ]] || { echo "not key=value with a value: '$setting'" >&2; exit 2; }
  done
  [ -f "$domain_xml" ] || create
  trap failed ERR
  if ! running; then
    "${asadmin[@]}" start-domain --domaindir "$domaindir" --prebootcommandfile "$here/domain-commands.asadmin" "$domain"
  fi
  local remote=("${asadmin[@]}" --host 127.0.0.1 --port "$(admin_port)")
  # A deployed sipgw is replaced in a fresh JVM, not redeployed in place: the old deployment's embedded Derby
  # keeps the database folder locked and its SIP stacks their ports within the JVM, so the new one would
  # fail to start (README, Payara Server).
  if "${remote[@]}" list-applications | grep -q '^sipgw '; then
    "${remote[@]}" undeploy sipgw
    "${asadmin[@]}" restart-domain --domaindir "$domaindir" "$domain"
  fi
  # The same log levels, executor pools and JSON-P provider as on Payara Micro.
  "${remote[@]}" multimode --file "$here/../post-boot-commands.asadmin"
  if [ $# -gt 0 ]; then
    # create-system-properties separates properties with ':', so a ':' in a value (a JDBC URL) is escaped
    local props=()
    for setting in "$@"; do
      props+=("${setting%%=*}=$(printf '%s' "${setting#*=}" | sed 's/:/\\:/g')")
    done
    "${remote[@]}" create-system-properties "$(IFS=:; echo "${props[*]}")"
  fi
  # The WAR brings its data source (web.xml, java:app/jdbc/sipgw) and its JDBC drivers: no pool to create.
  "${remote[@]}" deploy --name sipgw --contextroot / "$war"
  trap - ERR
  echo "sipgw runs on Payara Server: domain $domain in $domaindir, admin port $(admin_port), log $server_log"
}

case "$cmd" in
  start) shift 3; start "$@" ;;
  stop) stop ;;
  delete)
    stop
    if [ -f "$domain_xml" ]; then
      # the log outlives the domain, for a failed test run to be read
      cp "$server_log" "$domaindir/$domain-server.log" 2>/dev/null || true
      "${asadmin[@]}" delete-domain --domaindir "$domaindir" "$domain"
    fi
    ;;
  *) sed -n '2,26p' "$0" >&2; exit 2 ;;
esac
