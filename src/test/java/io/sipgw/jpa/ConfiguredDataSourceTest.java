package io.sipgw.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfiguredDataSourceTest {

    @Test
    void urlIsLoggedWithoutItsParametersWhichMayHoldCredentials() {
        assertEquals("jdbc:postgresql://db:5432/sipgw",
                ConfiguredDataSource.withoutParameters("jdbc:postgresql://db:5432/sipgw?user=gw&password=secret"));
        assertEquals("jdbc:derby:data/db", ConfiguredDataSource.withoutParameters("jdbc:derby:data/db;password=x?y"));
        assertEquals("jdbc:postgresql://db/sipgw", ConfiguredDataSource.withoutParameters("jdbc:postgresql://db/sipgw"));
    }
}
