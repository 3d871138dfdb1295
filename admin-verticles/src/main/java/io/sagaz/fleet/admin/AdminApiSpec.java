package io.sagaz.fleet.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The admin API's OpenAPI document: the YAML served at {@code /api/v1/openapi.yaml} and the contract
 * requests are validated against, both from the one file {@code openapi/sagaz-admin.yaml}.
 *
 * @param raw      the document as written, for serving
 * @param contract the parsed contract, for validation
 */
record AdminApiSpec(Buffer raw, OpenAPIContract contract) {
  static final String PATH = "openapi/sagaz-admin.yaml";

  static Future<AdminApiSpec> load(Vertx vertx) {
    return vertx.fileSystem().readFile(PATH)
        .compose(raw -> OpenAPIContract.from(vertx, forValidator(raw.toString())).map(c -> new AdminApiSpec(raw, c)));
  }

  /**
   * vertx-openapi 5.0.8 refuses a document whose responses use a media type it cannot validate, and
   * application/problem+json is one. Responses are never validated here, so the loader gets the
   * document with that media type renamed to application/json, while clients get it as written.
   */
  static JsonObject forValidator(String yaml) {
    Map<String, Object> tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(
        yaml.replace("application/problem+json:", "application/json:"));
    return new JsonObject(tree);
  }
}
