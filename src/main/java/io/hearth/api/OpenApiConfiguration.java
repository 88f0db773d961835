package io.hearth.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The head of the OpenAPI description springdoc builds from the controllers (served at {@code /api/openapi.json}, role
 * VIEWER): title, and the bearer-key scheme every /api endpoint requires (docs/security.md).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI hearthOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Hearth REST API").version("v1")
                        .description("Ingest, linking, erasure, rules reports and dead-letter operations of the Hearth hub."
                                + " Every endpoint needs 'Authorization: Bearer <key>' with the role named in"
                                + " docs/security.md (INGEST, OPERATOR or VIEWER).")
                        .license(new License().name("see the repository")))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("the API key, the operator key or the viewer key")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
