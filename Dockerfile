# sipgw on the official Payara Micro 6 image (JDK 17).
# Build the WAR first (mvn package -DskipTests), then: docker build -t sipgw . && docker run ... (see README)
FROM payara/micro:6.2025.10-jdk17

COPY --chown=payara:payara server-config/ /opt/payara/server-config/
COPY --chown=payara:payara target/sipgw.war /opt/payara/deployments/ROOT.war

# Data (Derby database, generated token keys) lives in a volume.
# SIP puts its own address into Via and Contact, so it must listen on an address peers can reach:
# run with --network host and -e SIPGW_SIP_HOST=<host address> (see README, Docker).
ENV SIPGW_DATA_DIR=/opt/payara/data \
    SIPGW_DB_NAME=/opt/payara/data/sipgw-db \
    SIPGW_ACCOUNTS_FILE=/opt/payara/server-config/accounts.properties
USER root
RUN mkdir -p /opt/payara/data && chown payara:payara /opt/payara/data
USER payara
VOLUME /opt/payara/data

EXPOSE 8081 5060/udp 5060/tcp 5070/udp 5070/tcp

# The HTTP listener binds every interface inside the container (no loopback pre-boot file here).
CMD ["--deploy", "/opt/payara/deployments/ROOT.war", "--contextroot", "/", "--port", "8081", "--nohazelcast", \
     "--postbootcommandfile", "/opt/payara/server-config/post-boot-commands.asadmin"]
