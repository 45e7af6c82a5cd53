/** JPA plumbing shared by every component's entities (type converters); no entity lives here. */
package io.sipgw.jpa;
