package io.capstan.profile.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.InvalidProfileException;
import java.io.IOException;

/** {@code profile.json}: snake_case fields, unknown fields ignored on read, nulls left out on write. */
public final class ProfileJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ProfileJson() {
    }

    public static DatasetProfile read(byte[] json) {
        try {
            DatasetProfile profile = JSON.readValue(json, DatasetProfile.class);
            if (profile == null) {
                throw new InvalidProfileException("profile.json is empty.");
            }
            return profile;
        } catch (InvalidProfileException e) {
            throw e;
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof InvalidProfileException ipe ? ipe : e;
            throw new InvalidProfileException("profile.json cannot be read: " + cause.getMessage(), e);
        }
    }

    public static byte[] write(DatasetProfile profile) {
        try {
            return JSON.writeValueAsBytes(profile);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("profile cannot be written as JSON", e);
        }
    }
}
