/** The fixture models of {@code src/test/resources/onnx-models}, as files, for this module's and other modules' tests. */
package io.capstan.modelformat.testutils;
