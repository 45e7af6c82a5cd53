/**
 * JPA plumbing shared by every component's entities (type converters, ids), the database the persistence
 * unit uses and its schema migrations (Flyway, run before EclipseLink logs in); no entity lives here.
 */
package io.sipgw.jpa;
