package io.springwsgi.sample;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FastAPI's docs pages render without internet: every script, stylesheet and icon they name
 * comes from the service itself (the Swagger UI and ReDoc webjars), none from a CDN.
 */
class FastApiDocsTests extends SampleServiceTests {

	private static final Pattern ASSET = Pattern.compile("<(?:script|link)\\b[^>]*\\b(?:src|href)=\"([^\"]+)\"");

	@Test
	void swaggerUiLoadsEveryScriptAndStylesheetFromTheService() {
		List<String> assets = assetsOf("/fastapi/docs");
		assertThat(assets).anyMatch((url) -> url.endsWith("/swagger-ui-bundle.js"))
			.anyMatch((url) -> url.endsWith("/swagger-ui.css"));
		assertEveryAssetIsServedHere(assets);
	}

	@Test
	void redocLoadsEveryScriptAndStylesheetFromTheService() {
		List<String> assets = assetsOf("/fastapi/redoc");
		assertThat(assets).anyMatch((url) -> url.endsWith("/redoc.standalone.js"));
		assertEveryAssetIsServedHere(assets);
	}

	private List<String> assetsOf(String page) {
		HttpResponse<String> response = get(page);
		assertThat(response.statusCode()).as(page).isEqualTo(200);
		assertThat(response.body()).as(page).contains("/fastapi/openapi.json");
		List<String> assets = new ArrayList<>();
		Matcher matcher = ASSET.matcher(response.body());
		while (matcher.find()) {
			assets.add(matcher.group(1));
		}
		return assets;
	}

	private void assertEveryAssetIsServedHere(List<String> assets) {
		for (String asset : assets) {
			assertThat(URI.create(asset).getHost()).as("host of %s", asset).isNull();
			HttpResponse<String> response = get(asset);
			assertThat(response.statusCode()).as(asset).isEqualTo(200);
			assertThat(response.body()).as(asset).isNotEmpty();
			assertThat(response.headers().firstValue("Content-Type")).as(asset)
				.hasValueSatisfying((type) -> assertThat(type).containsAnyOf("javascript", "css", "image/"));
		}
	}

}
