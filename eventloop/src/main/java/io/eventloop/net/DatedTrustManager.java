package io.eventloop.net;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager, plus the validity dates of the trusted certificates that the peer
 * presents. The JDK's validator ({@code sun.security.validator.PKIXValidator}, JDK 17) returns as
 * soon as the peer's first certificate is itself a trusted one, without looking at its dates, so a
 * client trusting a self-signed server certificate would accept it long after it expired. OpenSSL,
 * and with it Python's {@code ssl}, checks the dates of every certificate of the chain, the trusted
 * one included; this class makes the JDK agree. Certificates that are not trusted ones need no
 * second look: the validator checks their dates while building the path.
 *
 * <p>The rejected alternative, checking every certificate the peer sends, would refuse a server
 * that sends a stale extra certificate the path does not use, which OpenSSL accepts.
 */
final class DatedTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Set<X509Certificate> trusted;

    DatedTrustManager(X509ExtendedTrustManager pkix, Collection<X509Certificate> trusted) {
        this.pkix = pkix;
        this.trusted = Set.copyOf(trusted);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        checkDates(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        checkDates(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        checkDates(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        checkDates(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
        checkDates(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
        checkDates(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private void checkDates(X509Certificate[] chain) throws CertificateException {
        Date now = new Date();
        for (X509Certificate certificate : chain) {
            if (trusted.contains(certificate)) {
                certificate.checkValidity(now);
            }
        }
    }
}
