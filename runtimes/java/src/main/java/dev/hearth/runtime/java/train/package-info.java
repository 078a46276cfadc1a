/** The sample functions the image build runs to fill the AppCDS archive. */
package dev.hearth.runtime.java.train;
